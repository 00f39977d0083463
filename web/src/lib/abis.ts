/**
 * The registries' ABIs for the browser, from the compiled artifacts (`hardhat compile`; `npm start` compiles
 * before it builds the app). Only `abi` is imported, so the bundle carries no bytecode.
 */
import type { Abi } from "viem";
import { abi as actorRegistry } from "../../../artifacts/contracts/identity/ActorRegistry.sol/ActorRegistry.json";
import { abi as certificateOfOriginRegistry } from "../../../artifacts/contracts/documents/CertificateOfOriginRegistry.sol/CertificateOfOriginRegistry.json";
import { abi as millTestReportRegistry } from "../../../artifacts/contracts/documents/MillTestReportRegistry.sol/MillTestReportRegistry.json";
import { abi as shipmentRegistry } from "../../../artifacts/contracts/shipments/ShipmentRegistry.sol/ShipmentRegistry.json";

/** Each registry's ABI, by its `/app/config.json` name. */
export const ABIS = {
  actorRegistry: actorRegistry as Abi,
  millTestReportRegistry: millTestReportRegistry as Abi,
  certificateOfOriginRegistry: certificateOfOriginRegistry as Abi,
  shipmentRegistry: shipmentRegistry as Abi,
} as const;

export type RegistryName = keyof typeof ABIS;
