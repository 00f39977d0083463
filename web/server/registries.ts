/**
 * The four registries as the web server knows them: their addresses (the keys of `/app/config.json`'s
 * `contracts`) and their ABIs, read from the compiled TypeChain factories.
 */
import { Interface } from "ethers";
import type { DeploymentFile } from "../../scripts/lib/deployments";
import { REGISTRY_KEYS } from "./config";

/** Registry addresses by their `/app/config.json` names. */
export interface RegistryAddresses {
  actorRegistry?: string;
  millTestReportRegistry?: string;
  certificateOfOriginRegistry?: string;
  shipmentRegistry?: string;
}

/** The registries' proxy addresses in a deployments file. */
export function registryAddresses(deployment: DeploymentFile): RegistryAddresses {
  const out: RegistryAddresses = {};
  for (const [key, name] of Object.entries(REGISTRY_KEYS)) {
    const address = deployment.contracts[name]?.address;
    if (address) out[key as keyof RegistryAddresses] = address;
  }
  return out;
}

/** Each registry's interface, by its `/app/config.json` name. */
export function registryAbis(): Record<string, Interface> {
  // Loaded on first use: \`npm start\` imports this module before the contracts are compiled in a fresh clone.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const types = require("../../typechain-types") as typeof import("../../typechain-types");
  const { ActorRegistry__factory, CertificateOfOriginRegistry__factory } = types;
  const { MillTestReportRegistry__factory, ShipmentRegistry__factory } = types;
  return {
    actorRegistry: new Interface(ActorRegistry__factory.abi),
    millTestReportRegistry: new Interface(MillTestReportRegistry__factory.abi),
    certificateOfOriginRegistry: new Interface(CertificateOfOriginRegistry__factory.abi),
    shipmentRegistry: new Interface(ShipmentRegistry__factory.abi),
  };
}
