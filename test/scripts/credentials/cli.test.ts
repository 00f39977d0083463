import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, encryptKeystoreJson, getAddress } from "ethers";
import { contentHash } from "../../../scripts/credentials/jcs";
import { mapCredential } from "../../../scripts/credentials/documents";
import type { MillTestReportRecord } from "../../../scripts/credentials/mtr";
import type { CertificateOfOriginRecord } from "../../../scripts/credentials/coo";
import { toCertificateOfOrigin, toMillTestReport } from "../../../scripts/credentials/anchor";
import { HELP, PAYLOAD_FORMAT } from "../../../scripts/credentials/cli";
import { KDF_MINIMUM } from "../../../scripts/credentials/keys";
import { actorDid, deployCliChain, issuedBy, runCli, type CliChain, type CliRun } from "../../helpers/cli";
import { clone, credentialFixture, setAt, vocabExample } from "../../helpers/credentials";
import { recordIdOf, Status } from "../../helpers/documents";

const INSPECTION = "/credentialSubject/inspections/0";

/** Keystores at the tool's KDF minimum (slow to make: each is made once per key and password). */
const keystores = new Map<string, Promise<string>>();
function keystore(wallet: Wallet, password: string): Promise<string> {
  const key = `${wallet.address}/${password}`;
  if (!keystores.has(key)) {
    keystores.set(key, encryptKeystoreJson(wallet, password, { scrypt: { N: KDF_MINIMUM.scryptN } }));
  }
  return keystores.get(key)!;
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

  /**
   * The MTR example without expiry issues, and a multi-inspection MTR without its (past) expiry date, as issued by
   * the mill (its DID and country); the CoO example as issued by the certifier, or by `issuer`.
   */
  const MTR = (issuer?: Wallet) => issuedBy(vocabExample("MillTestReportCredential"), chain, issuer ?? chain.mill);
  const MULTI = () => {
    const credential = credentialFixture("MillTestReportCredential.multi-inspection.json");
    setAt(credential, "/validUntil", undefined);
    return issuedBy(credential, chain, chain.mill);
  };
  const COO = (issuer?: Wallet) => issuedBy(vocabExample("CertificationOfOrigin"), chain, issuer ?? chain.certifier);

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
        ["coo", "submit", write("coo.json", COO(chain.mill)), "--keystore", "mill.keystore.json", ...cooArgs()],
        undefined,
        { TRADETRACE_KEYSTORE_PASSWORD: "correct horse" },
      );
      // The key decrypted (the mill is no certifier, so the registry would refuse it; nothing is sent).
      expect(byEnv.code).to.equal(2);
      expect(byEnv.stderr).to.match(
        /would refuse issueBySig: ActorNotActive\(0x[0-9a-fA-F]{40}, EXPORTER\|CERTIFIER\): 0x[0-9a-fA-F]{40} is not an active actor for EXPORTER\|CERTIFIER: see npm run admin -- show/,
      );
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

      // Two anchors of the hash: verify judges the one of the actor whose DID the credential names (C1).
      const judged = await cli(["verify", "mtr.json"]);
      expect(judged.code).to.equal(0);
      expect(judged.stdout).to.match(new RegExp(`${id} VALID: .*issued by ${chain.mill.address} \\(active MILL\\)`));
      const rival = await cli(["verify", "mtr.json", "--issuer", chain.mill2.address]);
      expect(rival.code).to.equal(1);
      expect(rival.stdout).to.include(`${recordIdOf(chain.mill2.address, hash)} MISMATCH`);
      // A credential naming a third actor as issuer, anchored by both mills: neither anchor is the issuer's.
      const foreign = MTR(chain.exporter);
      const [foreignRecord] = mapCredential(foreign).records as MillTestReportRecord[];
      const foreignStruct = toMillTestReport(foreignRecord, "");
      await chain.mtrRegistry.connect(chain.mill).issue({ ...foreignStruct, certificateNumber: "F-1" });
      await chain.mtrRegistry.connect(chain.mill2).issue({ ...foreignStruct, certificateNumber: "F-2" });
      const ambiguous = await cli(["verify", write("foreign.json", foreign)]);
      expect(ambiguous.code).to.equal(1);
      expect(ambiguous.stdout).to.include(`${foreignRecord.contentHash} AMBIGUOUS: anchored by 2 issuers`);
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
      expect(
        (await cli(["coo", "submit", write("coo.json", COO(chain.exporter)), ...args], chain.exporter)).code,
      ).to.equal(0);
      const run = await cli(["verify", "coo.json"]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.include("(active EXPORTER)");
    });
  });

  describe("security review: the issuer, the parties and the dates are checked (C1 and tool findings)", function () {
    /** Runs `argv` as `wallet` and expects one error line naming every `parts`, nothing sent, nothing stored. */
    async function refused(argv: string[], wallet: Wallet | undefined, ...parts: string[]): Promise<void> {
      const before = await ethers.provider.getBlockNumber();
      const run = await cli(argv, wallet);
      expect(run.code, run.stdout).to.equal(2);
      expect(run.stdout).to.equal("");
      expect(run.stderr.trimEnd().split("\n")).to.have.length(1);
      for (const part of parts) expect(run.stderr).to.include(part);
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
      expect(existsSync(path.join(chain.dir, ".tradetrace"))).to.equal(false);
    }

    const isoIn = async (seconds: number) => new Date(((await time.latest()) + seconds) * 1000).toISOString();

    it("submit refuses a credential whose issuer DID is another actor's", async function () {
      await refused(
        ["mtr", "submit", write("mtr.json", MTR(chain.certifier))],
        chain.mill,
        `the credential's issuer ${actorDid(chain.certifier.address)}`,
        `${chain.mill.address} (${actorDid(chain.mill.address)})`,
      );
    });

    it("submit refuses an issuer address in another country than the signing actor's", async function () {
      const credential = MTR();
      setAt(credential, "/issuer/location/address/addressCountry", "Germany");
      await refused(["mtr", "submit", write("mtr.json", credential)], chain.mill, "DE", "registered country US");
    });

    it("submit refuses a signing key that is not an onboarded actor", async function () {
      await refused(
        ["mtr", "submit", write("mtr.json", MTR())],
        chain.relayer,
        `${chain.relayer.address} is not an onboarded actor`,
      );
    });

    it("verify reports MISMATCH when the hash was anchored by an actor other than the credential's issuer", async function () {
      const credential = COO();
      const [record] = mapCredential(credential).records as [CertificateOfOriginRecord];
      // The exporter self-certifies the chamber's certificate: the registry cannot know the issuer's DID.
      await (
        await chain.cooRegistry.connect(chain.exporter).issue(
          toCertificateOfOrigin(record, {
            exporter: chain.exporter.address,
            importer: chain.importer.address,
            uri: "",
          }),
        )
      ).wait();
      const run = await cli(["verify", write("coo.json", credential)]);
      expect(run.code).to.equal(1);
      expect(run.stdout).not.to.include("VALID:");
      expect(run.stdout).to.include(`${recordIdOf(chain.exporter.address, record.contentHash)} MISMATCH`);
      expect(run.stdout).to.include(`the credential's issuer is ${actorDid(chain.certifier.address)}`);
      expect(run.stdout).to.include(`${chain.exporter.address} (${actorDid(chain.exporter.address)})`);
      expect(run.stdout).to.include("0 of 1 record(s) valid");
    });

    it("verify reports MISMATCH when the anchored fields differ from the file", async function () {
      const credential = MTR();
      const [record] = mapCredential(credential).records as MillTestReportRecord[];
      const struct = { ...toMillTestReport(record, ""), heatNumber: "FORGED-HEAT" };
      await (await chain.mtrRegistry.connect(chain.mill).issue(struct)).wait();
      const run = await cli(["verify", write("mtr.json", credential)]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(`${recordIdOf(chain.mill.address, record.contentHash)} MISMATCH`);
      expect(run.stdout).to.include(`heatNumber: anchored "FORGED-HEAT", file "${record.heatNumber}"`);
    });

    it("relay prints what it anchored, not the payload's recordIds", async function () {
      const ids = mapCredential(MULTI()).records.map((r) => recordIdOf(chain.mill.address, r.contentHash));
      expect((await cli(["mtr", "submit", write("multi.json", MULTI()), "--out", "p.json"], chain.mill)).code).to.equal(
        0,
      );
      const file = path.join(chain.dir, "p.json");
      const payload = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const bogus = `0x${"ee".repeat(32)}`;
      payload.recordIds = [bogus];
      writeFileSync(file, JSON.stringify(payload));
      const run = await cli(["relay", "p.json"], chain.relayer);
      expect(run.code).to.equal(0);
      expect(run.stdout).not.to.include(bogus);
      expect(run.stdout).to.include(`anchored ${ids[0]} HPC-24-031577/1`);
      expect(run.stdout).to.include(`anchored ${ids[1]} HPC-24-031577/2`);
    });

    it("submit refuses a --deadline beyond the documented maximum (7 days)", async function () {
      expect(HELP).to.include("at most 604800 (7 days)");
      await refused(
        ["mtr", "submit", write("mtr.json", MTR()), "--deadline", "3153600000"],
        chain.mill,
        "--deadline 3153600000 is more than the maximum 604800 seconds (7 days)",
      );
    });

    it("submit refuses swapped --exporter and --importer (roles checked on chain)", async function () {
      const swapped = ["--exporter", chain.importer.address, "--importer", chain.exporter.address];
      await refused(
        ["coo", "submit", write("coo.json", COO()), ...swapped],
        chain.certifier,
        `--exporter ${chain.importer.address} is not an active EXPORTER (its active roles: IMPORTER)`,
      );
      await refused(
        [
          "coo",
          "submit",
          write("coo.json", COO()),
          "--exporter",
          chain.exporter.address,
          "--importer",
          chain.mill.address,
        ],
        chain.certifier,
        `--importer ${chain.mill.address} is not an active IMPORTER (its active roles: MILL)`,
      );
    });

    it("submit refuses an address with a wrong checksum and shows the checksummed form", async function () {
      const good = chain.exporter.address;
      const flipped = good.replace(/[a-f]/, (c) => c.toUpperCase());
      const bad = flipped === good ? good.replace(/[A-F]/, (c) => c.toLowerCase()) : flipped;
      await refused(
        ["coo", "submit", write("coo.json", COO()), "--exporter", bad, "--importer", chain.importer.address],
        chain.certifier,
        `--exporter ${bad} has a wrong checksum`,
        `checksummed form is ${good}`,
      );
    });

    it("submit refuses a credential that is not valid yet (validFrom after the chain's time)", async function () {
      const credential = MTR();
      const from = await isoIn(10 * 86_400);
      setAt(credential, "/validFrom", from);
      await refused(["mtr", "submit", write("mtr.json", credential)], chain.mill, "202304215088 is not valid before");
    });

    it("verify reports a record whose credential is not valid yet", async function () {
      const credential = MTR();
      setAt(credential, "/validFrom", await isoIn(10 * 86_400));
      const [record] = mapCredential(credential).records as MillTestReportRecord[];
      await (await chain.mtrRegistry.connect(chain.mill).issue(toMillTestReport(record, ""))).wait();
      const run = await cli(["verify", write("mtr.json", credential)]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(`${recordIdOf(chain.mill.address, record.contentHash)} INVALID (not valid before `);
    });
  });

  describe("keystore commands", function () {
    const PASSWORD = "correct horse battery staple";
    const secret = (...more: string[]) => [...more, PASSWORD];

    it("keystore create writes a 0600 keystore at the KDF minimum and prints only the address", async function () {
      writeFileSync(path.join(chain.dir, "pw"), `${PASSWORD}\n`);
      const run = await cli(["keystore", "create", "--out", "new.json", "--password-file", "pw"]);
      expect(run.stderr).to.equal("");
      expect(run.code).to.equal(0);
      const file = path.join(chain.dir, "new.json");
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      const json = JSON.parse(readFileSync(file, "utf8")) as { address: string; Crypto: { kdfparams: { n: number } } };
      expect(json.Crypto.kdfparams.n).to.be.at.least(KDF_MINIMUM.scryptN);
      const address = getAddress(json.address);
      expect(run.stdout).to.include(address);
      const key = (await Wallet.fromEncryptedJson(readFileSync(file, "utf8"), PASSWORD)).privateKey;
      expect(run.stdout).not.to.include(key.slice(2));
      for (const s of secret()) expect(run.stdout).not.to.include(s);

      const shown = await cli(["keystore", "show", "new.json"]);
      expect(shown.code).to.equal(0);
      expect(shown.stdout).to.include(address);
      expect(shown.stdout).not.to.include(key.slice(2));

      // Never overwrites a key.
      const again = await cli(["keystore", "create", "--out", "new.json", "--password-file", "pw"]);
      expect(again.code).to.equal(2);
      expect(again.stderr).to.include("new.json already exists");
    });

    it("keystore import encrypts a raw hex key (as MetaMask exports it); submit signs with it", async function () {
      writeFileSync(path.join(chain.dir, "mill.key"), `${chain.mill.privateKey.slice(2)}\n`);
      const env = { TRADETRACE_KEYSTORE_PASSWORD: PASSWORD };
      const run = await cli(["keystore", "import", "--key-file", "mill.key", "--out", "mill.json"], undefined, env);
      expect(run.stderr).to.equal("");
      expect(run.code).to.equal(0);
      expect(run.stdout).to.include(chain.mill.address);
      expect(statSync(path.join(chain.dir, "mill.json")).mode & 0o777).to.equal(0o600);
      const submitted = await cli(
        ["mtr", "submit", write("mtr.json", MTR()), "--keystore", "mill.json"],
        undefined,
        env,
      );
      expect(submitted.stderr).to.equal("");
      expect(submitted.code).to.equal(0);
    });

    for (const [title, argv, env, message] of [
      ["create without a password", ["keystore", "create", "--out", "k.json"], {}, "no password for the new keystore"],
      [
        "create with a short password",
        ["keystore", "create", "--out", "k.json"],
        { TRADETRACE_KEYSTORE_PASSWORD: "short" },
        "at least 12 characters",
      ],
      ["create without --out", ["keystore", "create"], {}, "keystore create needs --out FILE"],
      [
        "import of a file that holds no key",
        ["keystore", "import", "--key-file", "coo.json", "--out", "k.json"],
        { TRADETRACE_KEYSTORE_PASSWORD: PASSWORD },
        "coo.json does not hold a private key (64 hex digits)",
      ],
      [
        "show of a file that is no keystore",
        ["keystore", "show", "coo.json"],
        {},
        "coo.json is not an encrypted JSON keystore",
      ],
      ["an unknown keystore command", ["keystore", "burn"], {}, "usage: keystore create"],
    ] as [string, string[], NodeJS.ProcessEnv, string][]) {
      it(`keystore: refuses ${title} in one line, writing nothing`, async function () {
        write("coo.json", COO());
        const run = await cli(argv, undefined, env);
        expect(run.code).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr.trimEnd().split("\n")).to.have.length(1);
        expect(run.stderr).to.include(message);
        expect(existsSync(path.join(chain.dir, "k.json"))).to.equal(false);
        expect(run.stderr).not.to.include(PASSWORD);
      });
    }
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
        async () => ["mtr", "submit", write("mtr.json", MTR(chain.certifier))],
        "is not an active actor for MILL: see npm run admin -- show",
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
