/**
 * `npx ts-node indexer/matchstick/cli.ts [SUBGRAPH_DIR] [--tests GLOB] [--asc PATH]`: runs a subgraph's
 * matchstick tests. `--asc` (or MATCHSTICK_ASC) names the AssemblyScript compiler, a package folder or its
 * `bin/asc`, instead of `<libsFolder>/assemblyscript`. Exit codes: 0 all passed, 1 a test failed or a test
 * file could not run, 2 bad arguments.
 */
import { existsSync } from "fs";
import { runMatchstick, type RunOptions } from "./index";

const USAGE = "usage: cli.ts [SUBGRAPH_DIR] [--tests GLOB] [--asc PATH]";

function main(argv: string[]): number {
  let dir = ".";
  const opts: RunOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--tests" || a === "--asc") {
      const value = argv[++i];
      if (!value) {
        console.error(a === "--tests" ? "--tests needs a glob" : "--asc needs a path");
        return 2;
      }
      if (a === "--tests") opts.tests = value;
      else opts.asc = value;
    } else if (a === "--help" || a === "-h") {
      console.log(USAGE);
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
  const report = runMatchstick(dir, { ...opts, onLine: (l) => console.log(l) });
  return report.failed > 0 || report.fileErrors > 0 || report.files.length === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
