/**
 * Gas benchmark of the TradeTrace registries against the Ethereum Attestation Service, on the in-process Hardhat
 * network: npm run bench:gas (or npx hardhat run bench/gas.ts). Prints a table, the TradeTrace/EAS ratios and the
 * goals, and writes bench/results/gas.json.
 */
import fs from "node:fs";
import path from "node:path";
import { formatReport, measureGas, resultsDocument } from "./lib/gas";

async function main(): Promise<void> {
  const report = await measureGas({ batchSize: 50 });
  console.log(formatReport(report));
  const file = path.join(__dirname, "results", "gas.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(resultsDocument(report), null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
