import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Wallet } from "ethers";
import { mapCredential } from "../../../scripts/credentials/documents";
import type { MillTestReportRecord } from "../../../scripts/credentials/mtr";
import { toMillTestReport } from "../../../scripts/credentials/anchor";
import { generateSigningKey, issueCredential, type GeneratedKey } from "../../../interop/proofs";
import { actorDid, deployCliChain, issuedBy, runCli, type CliChain, type CliRun } from "../../helpers/cli";
import { setAt, vocabExample } from "../../helpers/credentials";
import { recordIdOf } from "../../helpers/documents";

async function cliFixture(): Promise<CliChain> {
  const [cbp] = await ethers.getSigners();
  return deployCliChain(cbp, ethers.provider);
}

/** A did:web-style DID document of an onboarded actor whose assertion key is `key` (what a mill publishes). */
function actorDidDocument(did: string, key: GeneratedKey): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
    id: did,
    verificationMethod: [{ id: `${did}#key-1`, type: "JsonWebKey2020", controller: did, publicKeyJwk: key.publicJwk }],
    assertionMethod: [`${did}#key-1`],
  };
}

describe("credentials CLI verify: issuer identity and VC-JOSE proofs", function () {
  let chain: CliChain;
  let millKey: GeneratedKey;

  before(async function () {
    millKey = await generateSigningKey("P-256");
  });

  beforeEach(async function () {
    chain = { ...(await loadFixture(cliFixture)), dir: mkdtempSync(path.join(tmpdir(), "tradetrace-cli-verify-")) };
  });

  async function cli(argv: string[], wallet?: Wallet): Promise<CliRun> {
    return runCli([...argv, "--deployment", chain.deploymentFile], {
      chain: network.provider,
      dir: chain.dir,
      env: wallet ? { TRADETRACE_PRIVATE_KEY: wallet.privateKey } : {},
    });
  }

  function write(name: string, content: unknown): string {
    writeFileSync(path.join(chain.dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return name;
  }

  const MTR = () => issuedBy(vocabExample("MillTestReportCredential"), chain, chain.mill);

  it("reports MISMATCH, not VALID, when the credential's issuer is another company than the anchoring actor", async function () {
    // The mill (registered in the US) anchors, straight on the registry, a credential whose issuer carries the
    // mill's DID but the address of another company (the rival mill's country): the hash and the DID match, the
    // company does not. submit refuses this; verify used to report it VALID.
    const credential = MTR();
    setAt(credential, "/issuer/name", "Rival Steel Co");
    setAt(credential, "/issuer/location/address/addressCountry", chain.countries[chain.mill2.address]);
    const [record] = mapCredential(credential).records as MillTestReportRecord[];
    await (await chain.mtrRegistry.connect(chain.mill).issue(toMillTestReport(record, ""))).wait();
    const id = recordIdOf(chain.mill.address, record.contentHash);
    const run = await cli(["verify", write("mtr.json", credential)]);
    expect(run.stdout).not.to.include("VALID:");
    expect(run.stdout).to.include(
      `${id} MISMATCH: the credential's issuer is in CN (/issuer/location/address/addressCountry), but the actor that anchored the record, ${chain.mill.address} (${actorDid(chain.mill.address)}), is registered in US`,
    );
    expect(run.stdout).to.include("0 of 1 record(s) valid");
    expect(run.code).to.equal(1);
  });

  describe("a VC-JOSE mill test report (compact JWS, ES256)", function () {
    let credential: Record<string, unknown>;
    let jwt: string;

    beforeEach(async function () {
      credential = MTR();
      const did = actorDid(chain.mill.address);
      jwt = (await issueCredential(
        credential,
        { id: `${did}#key-1`, privateJwk: millKey.key.privateJwk },
        {
          format: "vc-jwt",
        },
      )) as string;
      write("did.json", actorDidDocument(did, millKey));
      expect((await cli(["mtr", "submit", write("mtr.json", credential)], chain.mill)).code).to.equal(0);
    });

    it("is VALID with its proof verified against the issuer's DID document", async function () {
      const run = await cli(["verify", write("mtr.jwt", `${jwt}\n`), "--did-document", "did.json"]);
      expect(run.stderr).to.equal("");
      expect(run.stdout).to.include("proof: VC-JOSE verified against the issuer's DID document");
      expect(run.stdout).to.match(new RegExp(`VALID: .*issued by ${chain.mill.address} \\(active MILL\\)`));
      expect(run.stdout).to.include("1 of 1 record(s) valid");
      expect(run.code).to.equal(0);
    });

    it("is invalid when the signature does not match, though the record is anchored", async function () {
      const signature = jwt.split(".")[2];
      const tampered = jwt.slice(0, -signature.length) + (signature[0] === "A" ? "B" : "A") + signature.slice(1);
      const run = await cli(["verify", write("mtr.jwt", tampered), "--did-document", "did.json"]);
      expect(run.stdout).to.include("proof: VC-JOSE NOT VERIFIED: signature does not match");
      expect(run.code).to.equal(1);
    });

    it("is invalid when the issuer's DID document cannot be found (nothing is fetched)", async function () {
      const run = await cli(["verify", write("mtr.jwt", jwt)]);
      expect(run.stdout).to.include(
        `proof: VC-JOSE NOT VERIFIED: DID ${actorDid(chain.mill.address)} could not be resolved`,
      );
      expect(run.code).to.equal(1);
    });

    it("is invalid when signed by a key the issuer's DID document does not list as assertionMethod", async function () {
      const did = actorDid(chain.mill.address);
      const document = { ...actorDidDocument(did, millKey), assertionMethod: [], authentication: [`${did}#key-1`] };
      const run = await cli(["verify", write("mtr.jwt", jwt), "--did-document", write("auth-only.json", document)]);
      expect(run.stdout).to.include(`verification method ${did}#key-1 is not in the issuer's assertionMethod`);
      expect(run.code).to.equal(1);
    });

    it("refuses a malformed JWS and a DID document without an id in one line, exit 2", async function () {
      const bad = await cli(["verify", write("bad.jwt", "W10.e30.AA")]);
      expect(bad.stderr).to.equal("error: bad.jwt: malformed JWT: the header is not a JSON object\n");
      expect(bad.code).to.equal(2);
      const noId = await cli(["verify", write("mtr.jwt", jwt), "--did-document", write("x.json", { foo: 1 })]);
      expect(noId.stderr).to.equal('error: x.json is not a DID document (no "id")\n');
      expect(noId.code).to.equal(2);
    });
  });
});
