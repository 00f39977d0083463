/**
 * `npx ts-node indexer/matchstick/cli.ts [SUBGRAPH_DIR] [--tests GLOB]`: runs a subgraph's matchstick
 * tests. Exit codes: 0 all passed, 1 a test failed or a test file could not run, 2 bad arguments.
 */
import { existsSync } from "fs";
import { runMatchstick } from "./index";

function main(argv: string[]): number {
  let dir = ".";
  let tests: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--tests") {
      tests = argv[++i];
      if (!tests) {
        console.error("--tests needs a glob");
        return 2;
      }
    } else if (a === "--help" || a === "-h") {
      console.log("usage: cli.ts [SUBGRAPH_DIR] [--tests GLOB]");
      return 0;
    } else if (a.startsWith("-")) {
      console.error(`unknown option ${a}`);
      return 2;
    } else dir = a;
  }
  if (!existsSync(dir)) {
    console.error(`no such directory: ${dir}`);
    return 2;
  }
  const report = runMatchstick(dir, { tests, onLine: (l) => console.log(l) });
  return report.failed > 0 || report.fileErrors > 0 || report.files.length === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
