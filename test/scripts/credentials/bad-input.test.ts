/**
 * Bad input at the credentials tool, beyond the cases of cli.test.ts: hostile credential files (oversize, deep,
 * wrong types, not objects), hand-edited signed payloads (malformed fields, truncated or foreign signatures) and
 * a seeded fuzz of both. Every one is one line on stderr, exit 2, nothing sent and nothing stored; the offline
 * core (mapCredential) only ever throws CredentialError.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Wallet } from "ethers";
import { mapCredential } from "../../../scripts/credentials/documents";
import { CredentialError } from "../../../scripts/credentials/errors";
import { MAX_JSON_CHARS } from "../../../scripts/credentials/json";
import { deployCliChain, issuedBy, runCli, type CliChain, type CliRun } from "../../helpers/cli";
import { credentialFixture, setAt, vocabExample } from "../../helpers/credentials";
import { Prng } from "../../helpers/prng";

const INSPECTION = "/credentialSubject/inspections/0";
type Json = Record<string, unknown>;

async function cliFixture(): Promise<CliChain> {
  const [cbp] = await ethers.getSigners();
  return deployCliChain(cbp, ethers.provider);
}

/** Every JSON Pointer in `value`. */
function pointers(value: unknown, at = ""): string[] {
  const out = at ? [at] : [];
  if (value !== null && typeof value === "object") {
    for (const k of Object.keys(value)) out.push(...pointers((value as Json)[k], `${at}/${k}`));
  }
  return out;
}

const HOSTILE: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  2 ** 64,
  "",
  "x".repeat(5000),
  "0x",
  "0xZZ",
  "2024-13-45T25:61:00Z",
  "💥",
  "\u0000",
  "\ud800",
  true,
  [],
  [null],
  {},
  { "": [] },
];

/** 1–3 random edits of a JSON value: a member set to a hostile value or removed. */
function mutateJson(base: unknown, rng: Prng): Json {
  const out = structuredClone(base) as Json;
  const all = pointers(out);
  for (let e = rng.int(1, 3); e > 0; e--) {
    const keys = rng.pick(all).split("/").slice(1);
    const last = keys.pop()!;
    let parent: unknown = out;
    for (const k of keys) parent = parent === null || typeof parent !== "object" ? undefined : (parent as Json)[k];
    if (parent === null || typeof parent !== "object") continue;
    if (rng.chance(0.2)) delete (parent as Json)[last];
    else (parent as Json)[last] = structuredClone(rng.pick(HOSTILE));
  }
  return out;
}

describe("credentials bad input", function () {
  this.timeout(120_000);

  describe("the offline core", function () {
    it("maps 3000 seeded mutations of the fixtures or refuses them with a one-line CredentialError", function () {
      const rng = new Prng(0xc4ed);
      const bases = [
        vocabExample("MillTestReportCredential"),
        vocabExample("CertificationOfOrigin"),
        credentialFixture("USMCACertificationOfOrigin.example.json"),
        credentialFixture("MillTestReportCredential.multi-inspection.json"),
      ];
      let mapped = 0;
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        const credential = mutateJson(rng.pick(bases), rng);
        try {
          mapCredential(credential);
          mapped++;
        } catch (error) {
          const what = `${String(error)} for ${JSON.stringify(credential).slice(0, 300)}`;
          expect(error, what).to.be.instanceOf(CredentialError);
          expect((error as Error).message, what).to.not.include("\n");
          refused++;
        }
      }
      // Both outcomes must occur, or the mutations prove nothing.
      expect(mapped).to.be.above(50);
      expect(refused).to.be.above(1000);
    });
  });

  describe("the command-line tool", function () {
    let chain: CliChain;

    beforeEach(async function () {
      chain = { ...(await loadFixture(cliFixture)), dir: mkdtempSync(path.join(tmpdir(), "tradetrace-bad-")) };
    });

    const cli = (argv: string[], wallet: Wallet | undefined = chain.mill): Promise<CliRun> =>
      runCli([...argv, "--deployment", chain.deploymentFile], {
        chain: network.provider,
        dir: chain.dir,
        env: wallet ? { TRADETRACE_PRIVATE_KEY: wallet.privateKey } : {},
      });

    const write = (name: string, content: unknown): string => {
      writeFileSync(path.join(chain.dir, name), typeof content === "string" ? content : JSON.stringify(content));
      return name;
    };

    /** Runs and checks: exit 2, one `error:` line naming `message`, no block, no transaction, no store. */
    async function refused(argv: string[], message: string | RegExp, wallet?: Wallet): Promise<void> {
      const before = await ethers.provider.getBlockNumber();
      const nonces = await Promise.all(
        [chain.mill, chain.relayer].map((w) => ethers.provider.getTransactionCount(w.address)),
      );
      const run = await cli(argv, wallet);
      const what = `${argv.join(" ")}: ${run.stderr}`;
      expect(run.code, what).to.equal(2);
      expect(run.stdout, what).to.equal("");
      expect(run.stderr.trimEnd().split("\n"), what).to.have.length(1);
      expect(run.stderr, what).to.match(/^error: /);
      expect(run.stderr, what).to.not.match(/\n\s+at |\.ts:\d+/);
      if (typeof message === "string") expect(run.stderr, what).to.include(message);
      else expect(run.stderr, what).to.match(message);
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
      for (const [i, w] of [chain.mill, chain.relayer].entries()) {
        expect(await ethers.provider.getTransactionCount(w.address)).to.equal(nonces[i]);
      }
      expect(existsSync(path.join(chain.dir, ".tradetrace")), what).to.equal(false);
    }

    const mtrWith = (pointer: string, value: unknown): string => {
      const credential = vocabExample("MillTestReportCredential");
      setAt(credential, pointer, value);
      return write(`bad-${pointer.replace(/\W/g, "_")}-${String(value).slice(0, 8)}.json`, credential);
    };

    it("refuses hostile credential files before signing", async function () {
      const cases: [string, string | RegExp][] = [
        [
          write("huge.json", { ...vocabExample("MillTestReportCredential"), pad: "x".repeat(MAX_JSON_CHARS) }),
          `JSON inputs over ${MAX_JSON_CHARS} characters are refused`,
        ],
        [write("deep.json", "[".repeat(100_000) + "]".repeat(100_000)), "nesting deeper than 256"],
        [write("null.json", "null"), "must be a JSON object"],
        [write("array.json", [vocabExample("MillTestReportCredential")]), "must be a JSON object"],
        [write("binary.json", Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString("latin1")), "malformed JSON"],
        [write("empty.json", ""), "malformed JSON"],
        [write("dup.json", '{"type": 1, "type": 2}'), /duplicate/],
        [mtrWith(`${INSPECTION}/heatNumber`, 12345), "must be string"],
        [mtrWith(`${INSPECTION}/totalWeight/value`, "heavy"), /totalWeight/],
        [mtrWith(`${INSPECTION}/totalWeight/value`, "-5"), /totalWeight|positive|weight/],
        [mtrWith(`${INSPECTION}/totalWeight/value`, "1" + "0".repeat(40)), /uint96|too large|weight/],
        [mtrWith(`${INSPECTION}/totalWeight/value`, 1e40), "must be string"],
        [mtrWith("/credentialSubject/inspections", []), /inspections|fewer than 1/],
        [mtrWith("/issuanceDate", "yesterday"), /issuanceDate|date/],
        [mtrWith("/type", ["VerifiableCredential", "NotAType"]), /type|mapped/],
      ];
      for (const [file, message] of cases) await refused(["mtr", "submit", file], message);
    });

    describe("hand-edited signed payloads", function () {
      let payload: Json;

      beforeEach(async function () {
        const credential = credentialFixture("MillTestReportCredential.multi-inspection.json");
        setAt(credential, "/validUntil", undefined);
        issuedBy(credential, chain, chain.mill);
        const signed = await cli(["mtr", "submit", write("multi.json", credential), "--out", "payload.json"]);
        expect(signed.code, signed.stderr).to.equal(0);
        payload = JSON.parse(readFileSync(path.join(chain.dir, "payload.json"), "utf8")) as Json;
        // Only the relay is under test: the store written at signing time is not its doing.
        (await import("node:fs")).rmSync(path.join(chain.dir, ".tradetrace"), { recursive: true, force: true });
      });

      const args = () => payload.args as unknown[];
      const edits: [string, () => unknown, string | RegExp][] = [
        ["an array", () => [payload], "not a JSON object"],
        ["null", () => null, "not a JSON object"],
        ["an unknown registry name", () => ({ ...payload, registryName: "ActorRegistry" }), "unknown registryName"],
        ["a registry that is no address", () => ({ ...payload, registry: "0x12" }), "registry is not an address"],
        ["a chain id string", () => ({ ...payload, chainId: String(payload.chainId) }), "chainId is not a number"],
        ["a signer that is no address", () => ({ ...payload, signer: "mill" }), "signer is not an address"],
        ["a numeric deadline", () => ({ ...payload, deadline: Number(payload.deadline) }), "deadline is not a decimal"],
        ["a negative deadline", () => ({ ...payload, deadline: "-1" }), "deadline is not a decimal"],
        ["a hex deadline", () => ({ ...payload, deadline: "0x10" }), "deadline is not a decimal"],
        ["a non-hex signature", () => ({ ...payload, signature: "0xZZ" }), "signature is not hex"],
        ["three args", () => ({ ...payload, args: args().slice(0, 3) }), "args is not [payload"],
        [
          "args that disagree",
          () => ({ ...payload, args: [args()[0], args()[1], "1", args()[3]] }),
          "args disagree with signer, deadline or signature",
        ],
        [
          "a record that is not a list",
          () => ({ ...payload, args: [{}, ...args().slice(1)] }),
          "issueBatchBySig needs a list of records",
        ],
        ...(
          [
            ["a zero signature", () => "0x" + "00".repeat(65)],
            ["a flipped signature byte", (s: string) => s.slice(0, 10) + (s[10] === "0" ? "1" : "0") + s.slice(11)],
          ] as [string, (s: string) => string][]
        ).map(([title, edit]): [string, () => unknown, RegExp] => [
          title,
          () => {
            const signature = edit(payload.signature as string);
            return { ...payload, signature, args: [args()[0], args()[1], args()[2], signature] };
          },
          /does not hold a valid signature|the signature is not/,
        ]),
        ...(
          [
            ["a truncated (64-byte, EIP-2098) signature", (s: string) => s.slice(0, 2 + 128), 64],
            ["an empty signature", () => "0x", 0],
            ["a long signature", (s: string) => s + "00", 66],
          ] as [string, (s: string) => string, number][]
        ).map(([title, edit, n]): [string, () => unknown, string] => [
          title,
          () => {
            const signature = edit(payload.signature as string);
            return { ...payload, signature, args: [args()[0], args()[1], args()[2], signature] };
          },
          `the payload's signature is ${n} bytes; an account (EOA) signature is 65 bytes`,
        ]),
        [
          "the signature of another signer",
          () => ({
            ...payload,
            signer: chain.certifier.address,
            args: [args()[0], chain.certifier.address, ...args().slice(2)],
          }),
          /the signature is not 0x[0-9a-fA-F]{40}'s for nonce 0/,
        ],
        [
          "a record field of the wrong type",
          () => {
            const records = structuredClone(args()[0]) as Json[];
            records[0].totalKg = "heavy";
            return { ...payload, args: [records, ...args().slice(1)] };
          },
          /valid signature|would refuse|invalid|totalKg/i,
        ],
        ["an oversize file", () => ({ ...payload, pad: "x".repeat(MAX_JSON_CHARS) }), "characters are refused"],
      ];
      for (const [title, edit, message] of edits) {
        it(`relay refuses ${title}`, async function () {
          await refused(["relay", write("edited.json", edit())], message, chain.relayer);
        });
      }

      it("relay refuses 150 seeded mutations of the payload, sending nothing", async function () {
        const rng = new Prng(0x5167);
        let refusedCount = 0;
        for (let i = 0; i < 150; i++) {
          const mutated = mutateJson(payload, rng);
          const before = await ethers.provider.getBlockNumber();
          const run = await cli(["relay", write("m.json", mutated)], chain.relayer);
          const what = `${JSON.stringify(mutated).slice(0, 400)}: ${run.stderr}`;
          // An edit of a member relay ignores (recordIds) may still relay: then it must be the signed call, and
          // every later mutation is refused at least for its spent nonce.
          if (run.code === 0) {
            expect(JSON.stringify(mutated.args), what).to.equal(JSON.stringify(payload.args));
            continue;
          }
          refusedCount++;
          expect(run.code, what).to.equal(2);
          expect(run.stderr.trimEnd().split("\n"), what).to.have.length(1);
          expect(run.stderr, what).to.match(/^error: /);
          expect(await ethers.provider.getBlockNumber(), what).to.equal(before);
        }
        expect(refusedCount).to.be.above(100);
      });
    });
  });
});
