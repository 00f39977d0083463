/** A failure of the command-line tool that is the user's to fix: printed as one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*[\r\n]+\s*/g, " "));
    this.name = "CliError";
  }
}
