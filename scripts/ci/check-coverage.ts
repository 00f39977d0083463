/**
 * Fails unless the last `hardhat coverage` run covered at least MIN percent of the lines and of the branches
 * of contracts/ (harnesses in contracts/test/ are skipped by .solcover.js).
 */
import { readFileSync } from "node:fs";

const MIN = Number(process.env.COVERAGE_MIN ?? 95);

interface Totals {
  lines: { pct: number };
  branches: { pct: number };
}

const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8")) as { total: Totals };
const { lines, branches } = summary.total;
console.log(`contracts/ coverage: ${lines.pct}% lines, ${branches.pct}% branches (minimum ${MIN}%)`);
if (lines.pct < MIN || branches.pct < MIN) {
  console.error("coverage below the minimum");
  process.exit(1);
}
