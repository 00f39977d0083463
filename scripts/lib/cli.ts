/**
 * What the command-line tools (`scripts/credentials/cli.ts`, `scripts/admin/cli.ts`) share around their
 * `main(argv, io)`, which does everything and returns the exit code so that tests run it in-process: the one-line
 * error the user can fix, strict option parsing that fails with one, the one line a failure prints, and the
 * process entry point.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { describeChainError } from "./chain-errors";
import { messageOf } from "../../lib/errors";

/** A failure of a command-line tool that is the user's to fix: printed as one line, the tool's error exit code. */
export class CliError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*[\r\n]+\s*/g, " "));
    this.name = "CliError";
  }
}

/** Parses `argv` strictly (positionals allowed); an unknown or malformed option is a one-line CliError. */
export function parseCommandLine<O extends ParseArgsConfig["options"]>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${messageOf(error).split("\n")[0]} (see --help)`);
  }
}

/**
 * The line a failed command prints on stderr: the message of an error the tool raised for the user (`known`),
 * anything else (a revert, an unreachable node) through `describeChainError`.
 */
export function failureLine(error: unknown, known: (error: unknown) => error is Error, rpcUrl?: string): string {
  return `error: ${known(error) ? error.message : describeChainError(error, { rpcUrl })}\n`;
}

/** The part of a tool's io that the process provides. */
export interface ProcessIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Standard output and error, the environment, and the directory the user typed the command in. */
export function processIo(): ProcessIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  };
}

/**
 * Runs a tool's `main` as the process: its result becomes the exit code. `main` reports its own failures; a
 * rejection is a bug in the tool, printed as it is with `errorExit`.
 */
export function runAsProcess(main: (argv: string[]) => Promise<number>, errorExit: number): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${String(error)}\n`);
      process.exitCode = errorExit;
    },
  );
}
