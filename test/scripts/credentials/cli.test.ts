import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, encryptKeystoreJson } from "ethers";
import { contentHash } from "../../../scripts/credentials/jcs";
import { mapCredential } from "../../../scripts/credentials/documents";
import type { MillTestReportRecord } from "../../../scripts/credentials/mtr";
import { HELP, PAYLOAD_FORMAT } from "../../../scripts/credentials/cli";
import { deployCliChain, runCli, type CliChain, type CliRun } from "../../helpers/cli";
import { clone, credentialFixture, setAt, vocabExample } from "../../helpers/credentials";
import { recordIdOf, Status } from "../../helpers/documents";

const INSPECTION = "/credentialSubject/inspections/0";

/** A keystore with cheap scrypt parameters, so that tests stay fast. */
function keystore(wallet: Wallet, password: string): Promise<string> {
  return encryptKeystoreJson(wallet, password, { scrypt: { N: 1024 } });
}

async function cliFixture(): Promise<CliChain> {
  const [cbp] = await ethers.getSigners();
  return deployCliChain(cbp, ethers.provider);
}

describe("credentials CLI (in-process)", function () {
  let chain: CliChain;
  /** Every key the tests use, to prove that no run prints one. */
  let secrets: string[];

  beforeEach(async function () {
    // The chain is reverted to the fixture's snapshot, the file system is not: a fresh working directory per test.
    chain = { ...(await loadFixture(cliFixture)), dir: mkdtempSync(path.join(tmpdir(), "tradetrace-cli-test-")) };
    secrets = [chain.mill, chain.certifier, chain.exporter, chain.relayer].map((w) => w.privateKey.slice(2));
  });

  /** Runs the tool as `wallet` (TRADETRACE_PRIVATE_KEY) with the fixture's deployment file. */
  async function cli(argv: string[], wallet?: Wallet, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    const run = await runCli([...argv, "--deployment", chain.deploymentFile], {
      chain: network.provider,
      dir: chain.dir,
      env: { ...(wallet ? { TRADETRACE_PRIVATE_KEY: wallet.privateKey } : {}), ...env },
    });
    for (const secret of secrets) expect(run.stdout + run.stderr).not.to.include(secret);
    return run;
  }

  /** Writes `credential` to the scratch directory and returns the file name (relative to it). */
  function write(name: string, credential: unknown): string {
    writeFileSync(path.join(chain.dir, name), JSON.stringify(credential, null, 2));
    return name;
  }

  /** The MTR example without expiry issues, and a multi-inspection MTR without its (past) expiry date. */
  const MTR = () => vocabExample("MillTestReportCredential");
  const MULTI = () => {
    const credential = credentialFixture("MillTestReportCredential.multi-inspection.json");
    setAt(credential, "/validUntil", undefined);
    return credential;
  };
  const COO = () => vocabExample("CertificationOfOrigin");

  const cooArgs = () => ["--exporter", chain.exporter.address, "--importer", chain.importer.address];

  describe("help and usage", function () {
    it("prints the help with --help", async function () {
      const run = await cli(["--help"]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.equal(HELP);
      expect(HELP).to.include("export ID").and.include(".tradetrace/credentials");
    });

    for (const [argv, message] of [
      [[], "no command"],
      [["frobnicate"], 'unknown command "frobnicate"'],
      [["mtr", "send", "x.json"], "usage: mtr submit FILE"],
      [["verify"], "usage: verify FILE"],
      [["verify", "a.json", "--colour"], "Unknown option '--colour'"],
      [["export", "0x12"], '"0x12" is not a record id'],
    ] as const) {
      it(`refuses ${JSON.stringify(argv)} in one line`, async function () {
        const run = await cli([...argv]);
        expect(run.code).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr.trimEnd().split("\n")).to.have.length(1);
        expect(run.stderr).to.include(message);
      });
    }
  });

  describe("round trips", function () {
    const cases = [
      {
        title: "the MillTestReportCredential example (one inspection, issueBySig)",
        credential: MTR,
        command: "mtr",
        records: 1,
        extra: (): string[] => [],
        signer: (c: CliChain) => c.mill,
      },
      {
        title: "a multi-inspection MillTestReportCredential (issueBatchBySig)",
        credential: MULTI,
        command: "mtr",
        records: 2,
        extra: (): string[] => [],
        signer: (c: CliChain) => c.mill,
      },
      {
        title: "the CertificationOfOrigin example (issueBySig by a certifier)",
        credential: COO,
        command: "coo",
        records: 1,
        extra: cooArgs,
        signer: (c: CliChain) => c.certifier,
      },
    ];

    for (const c of cases) {
      it(`${c.title}: submit, verify valid, export; a changed field is a mismatch`, async function () {
        const credential = c.credential();
        const file = write("credential.json", credential);
        const mapped = mapCredential(credential);
        const issuer = c.signer(chain).address;
        const ids = mapped.records.map((r) => recordIdOf(issuer, r.contentHash));
        expect(ids).to.have.length(c.records);
        const registry = c.command === "mtr" ? chain.mtrRegistry : chain.cooRegistry;

        const submitted = await cli(
          [c.command, "submit", file, "--uri", "ipfs://example", ...c.extra()],
          c.signer(chain),
        );
        expect(submitted.stderr).to.equal("");
        expect(submitted.code).to.equal(0);
        for (const id of ids) {
          expect(submitted.stdout).to.include(`anchored ${id}`);
          const record = await registry.recordOf(id);
          expect(record.status).to.equal(Status.Active);
          expect(record.issuer).to.equal(c.signer(chain).address);
        }
        expect(submitted.stdout).to.include(c.records > 1 ? "issueBatchBySig" : "issueBySig");

        const verified = await cli(["verify", file]);
        expect(verified.code).to.equal(0);
        expect(verified.stdout).to.include(`${c.records} of ${c.records} record(s) valid`);
        for (const id of ids)
          expect(verified.stdout).to.match(
            new RegExp(`${id} VALID: .*issued by ${c.signer(chain).address} \\(active `),
          );

        for (const id of ids) {
          const exported = await cli(["export", id]);
          expect(exported.code).to.equal(0);
          const json = JSON.parse(exported.stdout) as unknown;
          expect(contentHash(json)).to.equal(mapped.credentialHash);
          expect(mapCredential(json).records.map((r) => recordIdOf(issuer, r.contentHash))).to.include(id);
        }

        const changed = clone(credential);
        setAt(changed, "/validFrom", "2024-05-01T00:00:00Z");
        const mismatch = await cli(["verify", write("changed.json", changed)]);
        expect(mismatch.code).to.equal(1);
        expect(mismatch.stdout).to.include(`0 of ${c.records} record(s) valid`);
        for (const record of mapCredential(changed).records) {
          expect(mismatch.stdout).to.include(`${record.contentHash} NOT ANCHORED: mismatch`);
        }
      });
    }

    it("issues directly with --direct (issue / issueBatch from the key's account)", async function () {
      const single = await cli(["mtr", "submit", write("mtr.json", MTR()), "--direct"], chain.mill);
      expect(single.code).to.equal(0);
      expect(single.stdout).to.include("issue in MillTestReportRegistry");
      const batch = await cli(["mtr", "submit", write("multi.json", MULTI()), "--direct"], chain.mill);
      expect(batch.code).to.equal(0);
      expect(batch.stdout).to.include("issueBatch in MillTestReportRegistry");
      for (const record of [...mapCredential(MTR()).records, ...mapCredential(MULTI()).records]) {
        const id = recordIdOf(chain.mill.address, record.contentHash);
        expect((await chain.mtrRegistry.recordOf(id)).issuer).to.equal(chain.mill.address);
      }
      // Direct issuing uses no signature, so the mill's registry nonce is untouched.
      expect(await chain.mtrRegistry.nonces(chain.mill.address)).to.equal(0n);
    });

    it("numbers the records of a multi-inspection MTR <certificate>/<n> on chain", async function () {
      await cli(["mtr", "submit", write("multi.json", MULTI())], chain.mill);
      const ids = mapCredential(MULTI()).records.map((r) => recordIdOf(chain.mill.address, r.contentHash));
      expect(await chain.mtrRegistry.recordIdOfCertificate(chain.mill.address, "HPC-24-031577/1")).to.equal(ids[0]);
      expect(await chain.mtrRegistry.recordIdOfCertificate(chain.mill.address, "HPC-24-031577/2")).to.equal(ids[1]);
    });

    it("signs with an encrypted keystore (password from a file or the environment)", async function () {
      writeFileSync(path.join(chain.dir, "mill.keystore.json"), await keystore(chain.mill, "correct horse"));
      writeFileSync(path.join(chain.dir, "password.txt"), "correct horse\n");
      const byFile = await cli([
        "mtr",
        "submit",
        write("mtr.json", MTR()),
        "--keystore",
        "mill.keystore.json",
        "--password-file",
        "password.txt",
      ]);
      expect(byFile.stderr).to.equal("");
      expect(byFile.code).to.equal(0);
      const byEnv = await cli(
        ["coo", "submit", write("coo.json", COO()), "--keystore", "mill.keystore.json", ...cooArgs()],
        undefined,
        { TRADETRACE_KEYSTORE_PASSWORD: "correct horse" },
      );
      // The key decrypted (the mill is no certifier, so the registry would refuse it; nothing is sent).
      expect(byEnv.code).to.equal(2);
      expect(byEnv.stderr).to.match(/would refuse issueBySig: IssuerNotActive\(0x[0-9a-fA-F]{40}, 68\)/);
      expect(byEnv.stderr).to.include(chain.mill.address);
    });
  });

  describe("relayer path", function () {
    it("submit --out signs without sending; relay sends it from another account", async function () {
      const file = write("multi.json", MULTI());
      const ids = mapCredential(MULTI()).records.map((r) => recordIdOf(chain.mill.address, r.contentHash));
      const before = await ethers.provider.getBlockNumber();
      const signed = await cli(["mtr", "submit", file, "--out", "payload.json", "--deadline", "600"], chain.mill);
      expect(signed.code).to.equal(0);
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
      const payload = JSON.parse(readFileSync(path.join(chain.dir, "payload.json"), "utf8")) as Record<string, unknown>;
      expect(payload).to.include({
        format: PAYLOAD_FORMAT,
        registry: await chain.mtrRegistry.getAddress(),
        registryName: "MillTestReportRegistry",
        chainId: chain.chainId,
        function: "issueBatchBySig",
        signer: chain.mill.address,
      });
      expect(payload.recordIds).to.deep.equal(ids);
      const now = await time.latest();
      expect(Number(payload.deadline)).to.equal(now + 600);
      expect(JSON.stringify(payload)).not.to.include(chain.mill.privateKey.slice(2));

      const relayed = await cli(["relay", "payload.json"], chain.relayer);
      expect(relayed.stderr).to.equal("");
      expect(relayed.code).to.equal(0);
      expect(relayed.stdout).to.include(`from ${chain.relayer.address}`);
      for (const id of ids) {
        const record = await chain.mtrRegistry.recordOf(id);
        expect(record.issuer).to.equal(chain.mill.address);
        expect(record.status).to.equal(Status.Active);
      }
      // The store was written at signing time, so export works once the payload is relayed.
      expect((await cli(["export", ids[1]])).code).to.equal(0);

      // Replaying the same payload fails before sending: the nonce moved on.
      const blockAfter = await ethers.provider.getBlockNumber();
      const replay = await cli(["relay", "payload.json"], chain.relayer);
      expect(replay.code).to.equal(2);
      expect(replay.stderr).to.include("already relayed, or the payload was changed");
      expect(await ethers.provider.getBlockNumber()).to.equal(blockAfter);
    });

    it("relays a certificate of origin", async function () {
      expect(
        (await cli(["coo", "submit", write("coo.json", COO()), "--out", "p.json", ...cooArgs()], chain.certifier)).code,
      ).to.equal(0);
      const relayed = await cli(["relay", "p.json"], chain.relayer);
      expect(relayed.code).to.equal(0);
      const id = recordIdOf(chain.certifier.address, mapCredential(COO()).credentialHash);
      expect(relayed.stdout).to.include(`anchored ${id}`);
      expect((await chain.cooRegistry.recordOf(id)).issuer).to.equal(chain.certifier.address);
    });

    const tamper: [string, (p: Record<string, unknown>, c: CliChain) => void, string][] = [
      ["another chain id", (p) => (p.chainId = 1), "the payload is for chain id 1, the deployment is for chain id"],
      ["another registry", (p, c) => (p.registry = c.relayer.address), "the deployment has"],
      [
        "a changed record",
        (p) => ((p.args as [{ heatNumber: string }[]])[0][0].heatNumber = "K24-55104"),
        "the signature is not",
      ],
      ["a past deadline", (p) => (p.deadline = (p.args as string[])[2] = "1000"), "the signature expired at"],
      ["an unknown function", (p) => (p.function = "issueBatch"), "function is not issueBySig or issueBatchBySig"],
      ["another format", (p) => (p.format = "x"), "format is not"],
    ];
    for (const [title, change, message] of tamper) {
      it(`relay refuses a payload with ${title}, sending nothing`, async function () {
        await cli(["mtr", "submit", write("multi.json", MULTI()), "--out", "payload.json"], chain.mill);
        const payloadFile = path.join(chain.dir, "payload.json");
        const payload = JSON.parse(readFileSync(payloadFile, "utf8")) as Record<string, unknown>;
        change(payload, chain);
        writeFileSync(payloadFile, JSON.stringify(payload));
        const before = await ethers.provider.getBlockNumber();
        const run = await cli(["relay", "payload.json"], chain.relayer);
        expect(run.code).to.equal(2);
        expect(run.stderr.trimEnd().split("\n")).to.have.length(1);
        expect(run.stderr).to.include(message);
        expect(await ethers.provider.getBlockNumber()).to.equal(before);
      });
    }
  });

  describe("verify", function () {
    async function submitMtr(credential = MTR()): Promise<string> {
      const run = await cli(["mtr", "submit", write("mtr.json", credential)], chain.mill);
      expect(run.code).to.equal(0);
      return recordIdOf(chain.mill.address, mapCredential(credential).credentialHash);
    }

    it("reports a record that was never anchored", async function () {
      const run = await cli(["verify", write("mtr.json", MTR())]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include("NOT ANCHORED: no record with this hash (certificate 202304215088)");
    });

    it("reports a revoked record", async function () {
      const id = await submitMtr();
      await chain.mtrRegistry.connect(chain.mill).revoke(id, ethers.encodeBytes32String("WITHDRAWN"));
      const run = await cli(["verify", "mtr.json"]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(`${id} INVALID (revoked)`);
    });

    it("reports a superseded record", async function () {
      const id = await submitMtr();
      const correction = (await import("../../../scripts/credentials/anchor")).toMillTestReport(
        mapCredential(MULTI()).records[0] as MillTestReportRecord,
        "",
      );
      await chain.mtrRegistry.connect(chain.mill).supersede(id, correction);
      const run = await cli(["verify", "mtr.json"]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(
        `INVALID (superseded by ${recordIdOf(chain.mill.address, correction.contentHash)})`,
      );
    });

    it("reports an expired record", async function () {
      const credential = MTR();
      const until = (await time.latest()) + 86_400;
      setAt(credential, "/validUntil", new Date(until * 1000).toISOString());
      const id = await submitMtr(credential);
      expect((await cli(["verify", "mtr.json"])).code).to.equal(0);
      await time.increase(2 * 86_400);
      const run = await cli(["verify", "mtr.json"]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(
        `${id} INVALID (expired at ${new Date(until * 1000).toISOString().replace(".000Z", "Z")})`,
      );
    });

    it("reports an issuer that is no longer an active actor", async function () {
      const id = await submitMtr();
      await chain.actors.connect(chain.cbp).suspend(chain.mill.address, ethers.encodeBytes32String("EAPA"));
      const run = await cli(["verify", "mtr.json"]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(`${id} INVALID (issuer is not an active MILL)`);
    });

    it("anchors a mill's credential after a rival anchored its hash first (A5); --issuer tells them apart", async function () {
      const hash = mapCredential(MTR()).credentialHash;
      const { toMillTestReport } = await import("../../../scripts/credentials/anchor");
      const stolen = toMillTestReport(mapCredential(MTR()).records[0] as MillTestReportRecord, "");
      await chain.mtrRegistry.connect(chain.mill2).issue({ ...stolen, certificateNumber: "RIVAL-1" });
      const id = await submitMtr();
      expect(id).to.equal(recordIdOf(chain.mill.address, hash));
      expect((await chain.mtrRegistry.recordOf(id)).issuer).to.equal(chain.mill.address);

      const ambiguous = await cli(["verify", "mtr.json"]);
      expect(ambiguous.code).to.equal(1);
      expect(ambiguous.stdout).to.include(`${hash} AMBIGUOUS: anchored by 2 issuers`);
      expect(ambiguous.stdout).to.include(chain.mill.address);
      expect(ambiguous.stdout).to.include(chain.mill2.address);
      const named = await cli(["verify", "mtr.json", "--issuer", chain.mill.address]);
      expect(named.code).to.equal(0);
      expect(named.stdout).to.match(new RegExp(`${id} VALID: .*issued by ${chain.mill.address} \\(active MILL\\)`));
      const stranger = await cli(["verify", "mtr.json", "--issuer", chain.exporter.address]);
      expect(stranger.code).to.equal(1);
      expect(stranger.stdout).to.include(`${hash} NOT ANCHORED by ${chain.exporter.address}`);
      expect((await cli(["verify", "mtr.json", "--issuer", "0x12"])).code).to.equal(2);
    });

    it("names the role of a self-certifying exporter", async function () {
      const args = ["--exporter", chain.exporter.address, "--importer", chain.importer.address];
      expect((await cli(["coo", "submit", write("coo.json", COO()), ...args], chain.exporter)).code).to.equal(0);
      const run = await cli(["verify", "coo.json"]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.include("(active EXPORTER)");
    });
  });

  describe("export", function () {
    it("writes the credential to --out", async function () {
      const hash = mapCredential(MTR()).credentialHash;
      const id = recordIdOf(chain.mill.address, hash);
      await cli(["mtr", "submit", write("mtr.json", MTR())], chain.mill);
      const run = await cli(["export", id, "--out", "exported.json"]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.equal("");
      const exported = JSON.parse(readFileSync(path.join(chain.dir, "exported.json"), "utf8")) as unknown;
      expect(contentHash(exported)).to.equal(hash);
    });

    it("uses the store given by --store or TRADETRACE_CREDENTIAL_STORE", async function () {
      const hash = mapCredential(MTR()).credentialHash;
      const id = recordIdOf(chain.mill.address, hash);
      await cli(["mtr", "submit", write("mtr.json", MTR()), "--store", "my-store"], chain.mill);
      expect(existsSync(path.join(chain.dir, "my-store", `${hash}.json`))).to.equal(true);
      expect((await cli(["export", id, "--store", "my-store"])).code).to.equal(0);
      expect((await cli(["export", id], undefined, { TRADETRACE_CREDENTIAL_STORE: "my-store" })).code).to.equal(0);
      const missing = await cli(["export", id]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include(`no stored credential for ${id}`);
    });

    it("refuses a stored credential that is not on chain", async function () {
      const id = recordIdOf(chain.mill.address, mapCredential(MTR()).credentialHash);
      await cli(["mtr", "submit", write("mtr.json", MTR()), "--out", "payload.json"], chain.mill);
      const run = await cli(["export", id]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include(`record ${id} is not anchored in MillTestReportRegistry`);
    });

    it("refuses a stored file whose content no longer matches its hash", async function () {
      const hash = mapCredential(MTR()).credentialHash;
      const id = recordIdOf(chain.mill.address, hash);
      await cli(["mtr", "submit", write("mtr.json", MTR())], chain.mill);
      const stored = path.join(chain.dir, ".tradetrace", "credentials", `${hash}.json`);
      const changed = MTR();
      setAt(changed, `${INSPECTION}/heatNumber`, "61317");
      writeFileSync(stored, JSON.stringify(changed));
      const run = await cli(["export", id]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include(`has hash ${contentHash(changed)}, not ${hash}`);
    });
  });

  describe("bad input: one line on stderr, exit 2, nothing sent", function () {
    type Case = [string, () => Promise<string[]>, string, ((c: CliChain) => Wallet | undefined)?, NodeJS.ProcessEnv?];
    const mtrWith = (pointer: string, value: unknown) => async () => {
      const credential = MTR();
      setAt(credential, pointer, value);
      return ["mtr", "submit", write("bad.json", credential)];
    };
    const cases: Case[] = [
      [
        "a wrong password",
        async () => {
          writeFileSync(path.join(chain.dir, "k.json"), await keystore(chain.mill, "right"));
          writeFileSync(path.join(chain.dir, "pw"), "wrong\n");
          return ["mtr", "submit", write("mtr.json", MTR()), "--keystore", "k.json", "--password-file", "pw"];
        },
        "wrong password for keystore k.json",
      ],
      [
        "a keystore without password",
        async () => {
          writeFileSync(path.join(chain.dir, "k.json"), await keystore(chain.mill, "right"));
          return ["mtr", "submit", write("mtr.json", MTR()), "--keystore", "k.json"];
        },
        "no password for keystore k.json",
      ],
      [
        "a keystore that is not one",
        async () => [
          "mtr",
          "submit",
          write("mtr.json", MTR()),
          "--keystore",
          write("k.json", { a: 1 }),
          "--password-file",
          "mtr.json",
        ],
        "keystore k.json is not an encrypted JSON keystore",
      ],
      ["no key at all", async () => ["mtr", "submit", write("mtr.json", MTR())], "no signing key", () => undefined],
      [
        "a malformed private key",
        async () => ["mtr", "submit", write("mtr.json", MTR())],
        "TRADETRACE_PRIVATE_KEY is not a valid private key",
        () => undefined,
        { TRADETRACE_PRIVATE_KEY: "0x1234" },
      ],
      [
        "malformed JSON",
        async () => {
          writeFileSync(path.join(chain.dir, "bad.json"), '{"type": ["VerifiableCredential",');
          return ["mtr", "submit", "bad.json"];
        },
        "malformed JSON in bad.json",
      ],
      ["a missing file", async () => ["mtr", "submit", "nowhere.json"], "cannot read nowhere.json: ENOENT"],
      [
        "a schema violation",
        mtrWith(`${INSPECTION}/heatNumber`, undefined),
        "must have required property 'heatNumber'",
      ],
      ["an unknown unit", mtrWith(`${INSPECTION}/totalWeight/unitCode`, "lbs"), "unknown unit code 'lbs'"],
      [
        "a bad country",
        mtrWith(`${INSPECTION}/countryOfMeltAndPour`, "Atlantis"),
        "cannot normalise country 'Atlantis'",
      ],
      [
        "a credential of the other kind",
        async () => ["coo", "submit", write("mtr.json", MTR()), ...cooArgs()],
        "is a MillTestReportCredential: use `mtr submit`",
      ],
      [
        "a certificate without --exporter",
        async () => ["coo", "submit", write("coo.json", COO())],
        "coo submit needs --exporter",
      ],
      [
        "a certificate with a bad --importer",
        async () => [
          "coo",
          "submit",
          write("coo.json", COO()),
          "--exporter",
          chain.exporter.address,
          "--importer",
          "0x12",
        ],
        '--importer "0x12" is not an address',
      ],
      [
        "a USMCA certification without --export-date",
        async () => [
          "coo",
          "submit",
          write("u.json", credentialFixture("USMCACertificationOfOrigin.example.json")),
          ...cooArgs(),
        ],
        "has no export date: give --export-date YYYY-MM-DD",
      ],
      [
        "an expired credential",
        async () => [
          "mtr",
          "submit",
          write("multi.json", credentialFixture("MillTestReportCredential.multi-inspection.json")),
        ],
        "HPC-24-031577/1 expired at 2026-03-15T00:00:00Z",
      ],
      [
        "a bad --deadline",
        async () => ["mtr", "submit", write("mtr.json", MTR()), "--deadline", "soon"],
        '--deadline "soon"',
      ],
      [
        "an issuer without the role",
        async () => ["mtr", "submit", write("mtr.json", MTR())],
        "would refuse issueBySig: IssuerNotActive(",
        (c) => c.certifier,
      ],
    ];
    for (const [title, argv, message, signer, env] of cases) {
      it(title, async function () {
        const args = await argv();
        const wallet = signer ? signer(chain) : chain.mill;
        const before = await ethers.provider.getBlockNumber();
        const nonce = await ethers.provider.getTransactionCount(chain.mill.address);
        const run = await cli(args, wallet, env);
        expect(run.code).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr.trimEnd().split("\n")).to.have.length(1);
        expect(run.stderr).to.match(/^error: /);
        expect(run.stderr).to.include(message);
        expect(await ethers.provider.getBlockNumber()).to.equal(before);
        expect(await ethers.provider.getTransactionCount(chain.mill.address)).to.equal(nonce);
        expect(existsSync(path.join(chain.dir, ".tradetrace"))).to.equal(false);
      });
    }

    it("a missing deployment file", async function () {
      const run = await runCli(["verify", write("mtr.json", MTR()), "--deployment", "none.json"], {
        chain: network.provider,
        dir: chain.dir,
      });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.equal(
        `error: no deployment file ${path.join(chain.dir, "none.json")} (deploy first, or give --deployment FILE)\n`,
      );
    });

    it("a deployment for another chain or without the registry", async function () {
      const deployment = JSON.parse(readFileSync(chain.deploymentFile, "utf8")) as {
        chainId: number;
        contracts: Record<string, unknown>;
      };
      write("other-chain.json", { ...deployment, chainId: 5 });
      const other = await runCli(["verify", write("mtr.json", MTR()), "--deployment", "other-chain.json"], {
        chain: network.provider,
        dir: chain.dir,
      });
      expect(other.stderr).to.include("serves chain id 31337, the deployment is for chain id 5");
      delete deployment.contracts.MillTestReportRegistry;
      write("partial.json", deployment);
      const partial = await runCli(["verify", "mtr.json", "--deployment", "partial.json"], {
        chain: network.provider,
        dir: chain.dir,
      });
      expect(partial.stderr).to.include("has no MillTestReportRegistry");
      write("empty.json", { ...deployment, contracts: { MillTestReportRegistry: { address: chain.relayer.address } } });
      const noCode = await runCli(["verify", "mtr.json", "--deployment", "empty.json"], {
        chain: network.provider,
        dir: chain.dir,
      });
      expect(noCode.stderr).to.include(`no contract at ${chain.relayer.address}`);
    });

    it("an unreachable node", async function () {
      let stderr = "";
      const code = await (
        await import("../../../scripts/credentials/cli")
      ).main(
        ["verify", write("mtr.json", MTR()), "--deployment", chain.deploymentFile, "--rpc", "http://127.0.0.1:9"],
        {
          stdout: () => undefined,
          stderr: (text) => (stderr += text),
          env: {},
          cwd: chain.dir,
        },
      );
      expect(code).to.equal(2);
      expect(stderr).to.equal("error: cannot reach a JSON-RPC node at http://127.0.0.1:9\n");
    });
  });
});
