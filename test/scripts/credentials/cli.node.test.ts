/**
 * The credentials tool against a real `hardhat node` over HTTP JSON-RPC, whose clock starts in June 2024 so that
 * every credential fixture is within its validity, including those that have expired since. Most runs call `main`
 * in-process with its default JSON-RPC connection; a few run `npm run credentials` as a child process.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, type Wallet } from "ethers";
import { main } from "../../../scripts/credentials/cli";
import { mapCredential } from "../../../scripts/credentials/documents";
import { recordIdOf } from "../../../scripts/lib/record-id";
import type { JsonObject } from "../../../scripts/credentials/jcs";
import { deployCliChain, issuedBy, type CliChain, type CliRun } from "../../helpers/cli";
import { clone, credentialFixture, setAt, vocabExample } from "../../helpers/credentials";
import { freePort, startHardhatNode, type HardhatNode } from "../../helpers/hardhat-node";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PAST_CONFIG = path.join(ROOT, "test", "fixtures", "hardhat", "past-clock.config.ts");

/** `npm run credentials -- ...argv` in `cwd`, as a user types it. */
function npmRun(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "--prefix", ROOT, "credentials", "--", ...argv], {
      cwd,
      env: { ...process.env, ...env, INIT_CWD: cwd },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// @no-coverage: it runs its own hardhat node, where coverage measures nothing and instrumented contracts exceed the size limit.
describe("credentials CLI against a hardhat node (clock in June 2024) @no-coverage", function () {
  this.timeout(180_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let chain: CliChain;
  let dir: string;

  before(async function () {
    node = await startHardhatNode(await freePort(), PAST_CONFIG);
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    chain = await deployCliChain(await provider.getSigner(0), provider);
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
  });

  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), "tradetrace-cli-node-"));
  });

  /** `main` in-process, reaching the node through its own JSON-RPC provider (no injected connection). */
  async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const code = await main([...argv, "--rpc", node.url, "--deployment", chain.deploymentFile], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env,
      cwd: dir,
    });
    return { code, stdout, stderr };
  }

  function write(name: string, credential: unknown): string {
    writeFileSync(path.join(dir, name), JSON.stringify(credential, null, 2));
    return name;
  }

  const parties = () => ["--exporter", chain.exporter.address, "--importer", chain.importer.address];
  // Each fixture as issued by the onboarded actor that signs it (its DID and registered country).
  const fixtures: [string, () => JsonObject, "mtr" | "coo", () => string[], () => Wallet][] = [
    [
      "MillTestReportCredential example",
      () => vocabExample("MillTestReportCredential"),
      "mtr",
      () => [],
      () => chain.mill,
    ],
    [
      "multi-inspection MillTestReportCredential (valid until March 2026)",
      () => credentialFixture("MillTestReportCredential.multi-inspection.json"),
      "mtr",
      () => [],
      () => chain.mill,
    ],
    [
      "CertificationOfOrigin example",
      () => vocabExample("CertificationOfOrigin"),
      "coo",
      parties,
      () => chain.certifier,
    ],
    [
      "USMCACertificationOfOrigin example (valid in 2024, no export date)",
      () => credentialFixture("USMCACertificationOfOrigin.example.json"),
      "coo",
      () => [...parties(), "--export-date", "2024-05-20"],
      () => chain.exporter,
    ],
  ];

  for (const [title, fixture, command, extra, signer] of fixtures) {
    it(`round-trips the ${title}: submit, verify, export; a changed field is reported`, async function () {
      const credential = () => issuedBy(fixture(), chain, signer());
      const file = write("credential.json", credential());
      const ids = mapCredential(credential()).records.map((r) => recordIdOf(signer().address, r.contentHash));
      const submitted = await cli([command, "submit", file, ...extra()], {
        TRADETRACE_PRIVATE_KEY: signer().privateKey,
      });
      expect(submitted.stderr).to.equal("");
      expect(submitted.code).to.equal(0);

      const verified = await cli(["verify", file]);
      expect(verified.code).to.equal(0);
      expect(verified.stdout).to.include(`${ids.length} of ${ids.length} record(s) valid`);

      const exported = await cli(["export", ids[ids.length - 1]]);
      expect(exported.code).to.equal(0);
      const exportedIds = mapCredential(JSON.parse(exported.stdout)).records.map((r) =>
        recordIdOf(signer().address, r.contentHash),
      );
      expect(exportedIds).to.deep.equal(ids);

      const changed = clone(credential());
      setAt(changed, "/validFrom", "2024-05-01T00:00:00Z");
      const mismatch = await cli(["verify", write("changed.json", changed)]);
      expect(mismatch.code).to.equal(1);
      expect(mismatch.stdout.match(/NOT ANCHORED: mismatch/g)).to.have.length(ids.length);
    });
  }

  it("npm run credentials: submit --out and relay as child processes, then verify", async function () {
    const credential = issuedBy(vocabExample("MillTestReportCredential"), chain, chain.mill);
    setAt(credential, "/credentialSubject/certificateNumber", "CHILD-PROCESS-1");
    const file = write("mtr.json", credential);
    const common = ["--rpc", node.url, "--deployment", chain.deploymentFile];
    const signed = await npmRun(["mtr", "submit", file, "--out", "payload.json", ...common], dir, {
      TRADETRACE_PRIVATE_KEY: chain.mill.privateKey,
    });
    expect(signed.stderr).to.equal("");
    expect(signed.code).to.equal(0);
    const relayed = await npmRun(["relay", "payload.json", ...common], dir, {
      TRADETRACE_PRIVATE_KEY: chain.relayer.privateKey,
    });
    expect(relayed.stderr).to.equal("");
    expect(relayed.code).to.equal(0);
    const id = recordIdOf(chain.mill.address, mapCredential(credential).credentialHash);
    expect(relayed.stdout).to.include(`anchored ${id}`);
    expect((await chain.mtrRegistry.connect(provider).recordOf(id)).issuer).to.equal(chain.mill.address);
    const verified = await npmRun(["verify", file, ...common], dir, {});
    expect(verified.code).to.equal(0);
    expect(verified.stdout).to.include(`${id} VALID`);
  });

  it("npm run credentials: a schema violation is one line on stderr, exit 2, nothing sent", async function () {
    const credential = vocabExample("MillTestReportCredential");
    setAt(credential, "/credentialSubject/inspections/0/heatNumber", undefined);
    const before = await provider.getBlockNumber();
    const run = await npmRun(
      ["mtr", "submit", write("bad.json", credential), "--rpc", node.url, "--deployment", chain.deploymentFile],
      dir,
      { TRADETRACE_PRIVATE_KEY: chain.mill.privateKey },
    );
    expect(run.code).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(run.stderr.trimEnd().split("\n")).to.have.length(1);
    expect(run.stderr).to.include("must have required property 'heatNumber'");
    expect(await provider.getBlockNumber()).to.equal(before);
  });
});
