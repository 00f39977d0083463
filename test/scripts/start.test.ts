/** `npm start`'s arguments and output filter (scripts/start.ts); the whole run is in test/e2e/start.test.ts. */
import { expect } from "chai";
import { appUrl, HelpRequested, parseStartArgs, START_HELP, withoutTestContractNotes } from "../../scripts/start";

describe("npm start arguments and output", function () {
  it("--help gives the usage of every option instead of starting", function () {
    for (const flag of ["--help", "-h"]) expect(() => parseStartArgs([flag])).to.throw(HelpRequested, START_HELP);
    for (const option of ["--rpc URL", "--port N", "--db FILE", "--deployments DIR", "--once", "endpoints.json"]) {
      expect(START_HELP).to.include(option);
    }
    expect(() => parseStartArgs(["--bogus"])).to.throw(/unknown argument --bogus/);
  });

  it("drops the upgrades plugin's note on a test-only contract, and keeps every other line", function () {
    const kept: string[] = [];
    const emit = withoutTestContractNotes((line) => kept.push(line));
    const note = "Note: Reinitializers are not included in validations by default";
    const testOnly =
      "    contracts/test/ActorRegistryV2.sol:24: If you want to validate this function as an initializer, annotate it with '@custom:oz-upgrades-validate-as-initializer'";
    const real =
      "    contracts/identity/ActorRegistry.sol:9: If you want to validate this function as an initializer, annotate it with '@custom:oz-upgrades-validate-as-initializer'";
    for (const line of [note, testOnly, "Compiled 63 Solidity files successfully", note, real]) emit(line);
    expect(kept).to.deep.equal(["Compiled 63 Solidity files successfully", note, real]);
  });

  it("prints the web app's URL with the token in the fragment, never in the query string", function () {
    const url = appUrl("http://127.0.0.1:8000", "tt_key/+=");
    expect(url).to.equal("http://127.0.0.1:8000/#token=tt_key%2F%2B%3D");
    expect(new URL(url).search).to.equal("");
    expect(appUrl("http://127.0.0.1:8000", undefined)).to.equal("http://127.0.0.1:8000/");
  });
});
