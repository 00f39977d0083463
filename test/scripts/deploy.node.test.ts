import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../helpers/hardhat-node";
import { runDeployScript } from "../helpers/deploy-script";

describe("npm run deploy against a node that is not there", function () {
  this.timeout(120_000);

  it("fails with one line naming the URL and LOCALHOST_RPC_URL, exit code non-zero, no file written", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-deploy-dead-"));
    const url = `http://127.0.0.1:${await freePort()}`;
    try {
      const run = await runDeployScript(url, dir);

      expect(run.code).to.not.equal(0);
      const lines = run.stderr.trim().split("\n");
      expect(lines, run.stderr).to.have.length(1);
      expect(lines[0]).to.match(/^error: no JSON-RPC node answers at http:\/\/127\.0\.0\.1:\d+ \(network localhost\)/);
      expect(lines[0]).to.include(url).and.include("LOCALHOST_RPC_URL").and.include("--network");
      expect(run.stderr).to.not.match(/HH108|\n\s+at /);
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
