/**
 * Deploys the TradeTrace registries and records them in deployments/<network>.json.
 *
 *   npx hardhat run scripts/deploy.ts --network localhost
 *   TRADETRACE_REDEPLOY=1 npx hardhat run scripts/deploy.ts --network localhost   # deploy anew on purpose
 *
 * `--network localhost` reaches LOCALHOST_RPC_URL (default http://127.0.0.1:8545): set it for a node on another
 * port. Running it again on the same chain keeps what is deployed. Environment: TRADETRACE_DEPLOYMENTS_DIR (where the
 * files go), TRADETRACE_ADMIN (governance account, the deployer by default), TRADETRACE_REDEPLOY=1. `--force` works
 * when the script is run without `hardhat run` (which accepts no script arguments), e.g. with ts-node.
 */
import hre from "hardhat";
import { describeChainError } from "./lib/chain-errors";
import { deployAll } from "./lib/deployments";

async function main(): Promise<void> {
  const force = process.argv.includes("--force") || process.env.TRADETRACE_REDEPLOY === "1";
  const { file, deployment, status } = await deployAll(hre, { force });
  const summary = Object.entries(deployment.contracts)
    .map(([name, c]) => `  ${name.padEnd(28)} ${c.address}  ${status[name] ?? "recorded"}`)
    .join("\n");
  console.log(`\n${deployment.network} (chain id ${deployment.chainId}), start block ${deployment.startBlock}:`);
  console.log(summary);
  console.log(`written to ${file}`);
}

main().catch((error: unknown) => {
  // One line (what is wrong, what to do), e.g. no node at the network's URL instead of Hardhat's HH108 trace.
  const config = hre.network.config;
  const rpcUrl = "url" in config ? config.url : undefined;
  console.error(`error: ${describeChainError(error, { rpcUrl, network: hre.network.name })}`);
  process.exitCode = 1;
});
