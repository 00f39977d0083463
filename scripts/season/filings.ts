/**
 * A sample shipment filing and its EIP-712 signatures on the Hardhat network: shared by the tests
 * (test/helpers/shipments.ts re-exports them) and the gas benchmark (bench/lib/gas.ts).
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TypedDataDomain } from "ethers";
import type { ShipmentRegistry } from "../../typechain-types";
import { FILE_SHIPMENT_TYPES } from "../lib/shipment-eip712";
import { code, id, type Filing } from "./shipments";

/** The ShipmentRegistry's EIP-712 domain on the Hardhat network. */
export async function domainOf(registry: ShipmentRegistry): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return {
    name: "TradeTrace ShipmentRegistry",
    version: "1",
    chainId,
    verifyingContract: await registry.getAddress(),
  };
}

/** `signer`'s FileShipment signature of `filing` for `filer` (its next nonce unless one is given). */
export async function signFiling(
  registry: ShipmentRegistry,
  signer: HardhatEthersSigner,
  filingReference: string,
  filing: Filing,
  filer: string,
  deadline: bigint,
  nonce?: bigint,
): Promise<string> {
  const value = { filingReference, filing, filer, nonce: nonce ?? (await registry.nonces(filer)), deadline };
  return signer.signTypedData(await domainOf(registry), FILE_SHIPMENT_TYPES, value);
}

/** The parties a filing names. */
export interface ShipmentParties {
  importer: string;
  exporter: string;
  manufacturer: string;
  carrier: string;
}

/** A plausible 3-line line-pipe filing from Korea through Busan to Houston. */
export function sampleFiling(parties: ShipmentParties, overrides: Partial<Filing> = {}): Filing {
  return {
    parties,
    lines: [
      { hts: 7304191020n, declaredKg: 12_000n, declaredValueCents: 1_850_000n, originCountry: code("KR") },
      { hts: 7306191010n, declaredKg: 8_500n, declaredValueCents: 990_000n, originCountry: code("KR") },
      { hts: 7208510030n, declaredKg: 20_000n, declaredValueCents: 1_400_000n, originCountry: code("KR") },
    ],
    exportCountry: code("KR"),
    transshipmentCountries: [code("JP")],
    portOfLading: code("KRPUS"),
    portOfEntry: code("USHOU"),
    estimatedArrival: 1_900_000_000n,
    billOfLading: "MAEU123456789",
    entryNumber: "ABC-1234567-8",
    workflowInstanceId: id("workflow-1"),
    ...overrides,
  };
}
