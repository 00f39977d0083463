import path from "node:path";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig, NetworksUserConfig } from "hardhat/types";
import "@nomicfoundation/hardhat-toolbox";
import "@openzeppelin/hardhat-upgrades";

/** The compiler version; package.json pins the `solc` npm package to exactly this. */
const SOLC_VERSION = "0.8.30";

// Compile with the solc-js build from npm so that compiling never downloads anything.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

// Only `*.test.ts` files outside test/fixtures/ are mocha tests: test/ also holds helpers, and the fixture
// subgraphs hold AssemblyScript mappings and matchstick tests (named `*.test.ts` too).
subtask(TASK_TEST_GET_TEST_FILES, async (args: { testFiles: string[] }, _hre, runSuper) => {
  const files: string[] = await runSuper(args);
  if (args.testFiles.length > 0) return files;
  return files.filter(
    (file) => file.endsWith(".test.ts") && !file.split(path.sep).join("/").includes("/test/fixtures/"),
  );
});

/**
 * A permissioned production network (e.g. Besu with QBFT) comes from the environment only:
 * TRADETRACE_RPC_URL, TRADETRACE_CHAIN_ID and TRADETRACE_DEPLOYER_KEY. No secret lives in the repo.
 */
function productionNetwork(): NetworksUserConfig {
  const url = process.env.TRADETRACE_RPC_URL;
  if (!url) return {};
  const chainId = process.env.TRADETRACE_CHAIN_ID ? Number(process.env.TRADETRACE_CHAIN_ID) : undefined;
  const key = process.env.TRADETRACE_DEPLOYER_KEY;
  return { production: { url, chainId, accounts: key ? [key] : "remote" } };
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
      viaIR: false,
    },
  },
  networks: {
    hardhat: { chainId: 31337 },
    localhost: { url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545", chainId: 31337 },
    ...productionNetwork(),
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    offline: true,
    currency: "USD",
    reportPureAndViewMethods: false,
  },
  mocha: { timeout: 120_000 },
};

export default config;
