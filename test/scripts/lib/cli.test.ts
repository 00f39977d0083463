import { expect } from "chai";
import { CliError, failureLine, parseCommandLine } from "../../../scripts/lib/cli";

const OPTIONS = { rpc: { type: "string" }, direct: { type: "boolean" } } as const;
const isCliError = (e: unknown): e is CliError => e instanceof CliError;

describe("scripts/lib/cli (the tools' shared main)", function () {
  it("keeps a CliError on one line", function () {
    expect(new CliError("first\n  second\r\nthird").message).to.equal("first second third");
  });

  it("parses options and positionals strictly", function () {
    const parsed = parseCommandLine(["verify", "a.json", "--rpc", "http://127.0.0.1:1", "--direct"], OPTIONS);
    expect(parsed.positionals).to.deep.equal(["verify", "a.json"]);
    expect(parsed.values).to.deep.equal({ rpc: "http://127.0.0.1:1", direct: true });
  });

  it("turns an unknown or malformed option into a one-line CliError pointing at --help", function () {
    for (const argv of [["--nope"], ["--rpc"], ["--direct=yes"]]) {
      let caught: unknown;
      try {
        parseCommandLine(argv, OPTIONS);
      } catch (error) {
        caught = error;
      }
      expect(caught, argv.join(" ")).to.be.instanceOf(CliError);
      expect((caught as CliError).message, argv.join(" ")).to.match(/^[^\n]+ \(see --help\)$/);
    }
  });

  it("prints a known error's message and anything else through describeChainError", function () {
    expect(failureLine(new CliError("no deployment file x"), isCliError)).to.equal("error: no deployment file x\n");
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const line = failureLine(refused, isCliError, "http://127.0.0.1:9");
    expect(line).to.match(/^error: .*http:\/\/127\.0\.0\.1:9.*\n$/);
    expect(line.split("\n")).to.have.length(2);
  });
});
