/** The tools' one-line error; its home is scripts/lib/cli.ts, shared with the admin tool. */
export { CliError } from "../lib/cli";
