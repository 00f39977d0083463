import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { JsonRpcProvider, Network, ethers } from "ethers";
import { deployCliChain, issuedBy, type CliChain } from "../helpers/cli";
import { freePort, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { newP256Key, signJws, type P256Key } from "../helpers/jws";
import { createAnchor, type Anchor } from "../../interop/anchor";
import { issueCredential } from "../../interop/proofs";
import { keyIdHash, workflowInstanceId } from "../../interop/anchor/signed-credential";

const FIXTURE = path.join(__dirname, "..", "fixtures", "credentials", "MillTestReportCredential.multi-inspection.json");

describe("interop/anchor: VC-JOSE credentials anchored by the node's relayer @no-coverage", function () {
  this.timeout(180_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let chain: CliChain;
  let anchor: Anchor;
  let key: P256Key;
  let keyId: string;

  /** The fixture MTR as issued by the chain's mill (no validUntil: the fixture's has passed on this chain). */
  function millCredential(): Record<string, unknown> {
    const credential = issuedBy(
      JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, unknown>,
      chain,
      chain.mill,
    );
    delete credential.validUntil;
    credential.id = `urn:uuid:${ethers.hexlify(ethers.randomBytes(16)).slice(2)}`;
    // Certificate numbers are unique per issuer on chain: each test issues its own.
    (credential.credentialSubject as { certificateNumber: string }).certificateNumber = `HPC-${credential.id}`;
    return credential;
  }

  before(async function () {
    node = await startHardhatNode(await freePort());
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: Network.from(31337), pollingInterval: 100 });
    chain = await deployCliChain(await provider.getSigner(0), provider);
    key = newP256Key();
    keyId = `did:web:${chain.mill.address.slice(2, 10).toLowerCase()}.example.com#key-1`;
    await (await chain.actors.connect(chain.mill).registerAssertionKey(keyId, key.x, key.y)).wait();
    anchor = createAnchor({
      provider,
      relayer: chain.relayer,
      addresses: {
        actorRegistry: await chain.actors.getAddress(),
        millTestReportRegistry: await chain.mtrRegistry.getAddress(),
        certificateOfOriginRegistry: await chain.cooRegistry.getAddress(),
      },
      pollIntervalMs: 100,
    });
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
  });

  it("anchors a mill's signed report from the relayer account; every record is the mill's", async function () {
    const jws = signJws(millCredential(), key, keyId);
    const result = await anchor.anchorVerifiedCredential(jws, { workflowInstance: "workflow:anchor-test" });
    if ("refused" in result) expect.fail(result.refused);
    expect(result.recordIds).to.have.length(2); // the fixture has two inspections
    for (const recordId of result.recordIds) {
      expect((await chain.mtrRegistry.recordOf(recordId)).issuer).to.equal(chain.mill.address);
    }
    const receipt = await provider.getTransactionReceipt(result.txHash);
    expect(receipt!.from).to.equal(chain.relayer.address);
    const events = await chain.mtrRegistry.queryFilter(chain.mtrRegistry.filters.SignedCredentialAnchored());
    const mine = events.filter((e) => result.recordIds.includes(e.args.recordId));
    expect(mine.map((e) => e.args.workflowInstance)).to.deep.equal([
      workflowInstanceId("workflow:anchor-test"),
      workflowInstanceId("workflow:anchor-test"),
    ]);
    expect(mine.map((e) => e.args.keyIdHash)).to.deep.equal([keyIdHash(keyId), keyIdHash(keyId)]);
    expect(ethers.toUtf8String(mine[0].args.payload)).to.equal(
      Buffer.from(jws.split(".")[1], "base64url").toString("utf8"),
    );
  });

  it("anchors what interop/proofs issues: a VC 2.0 payload, and a VC 1.1 vc-jwt (iss claim, vc claim)", async function () {
    const signingKey = { id: keyId, privateJwk: key.privateKey.export({ format: "jwk" }) as JsonWebKey };
    const v2 = (await issueCredential(millCredential(), signingKey, { format: "vc-jwt" })) as string;
    const v11 = millCredential();
    v11["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"];
    v11.issuanceDate = v11.validFrom;
    delete v11.validFrom;
    const jwt = (await issueCredential(v11, signingKey, { format: "vc-jwt" })) as string;
    expect(JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString())).to.have.property("iss");
    for (const token of [v2, jwt]) {
      const result = await anchor.anchorVerifiedCredential(token, { workflowInstance: "workflow:proofs" });
      if ("refused" in result) expect.fail(result.refused);
      expect((await chain.mtrRegistry.recordOf(result.recordId)).issuer).to.equal(chain.mill.address);
    }
  });

  it("refuses a payload tampered after signing, naming the signature check", async function () {
    const [header, , signature] = signJws(millCredential(), key, keyId).split(".");
    const tampered = millCredential();
    (tampered.credentialSubject as { certificateNumber: string }).certificateNumber = "TAMPERED-1";
    const body = Buffer.from(JSON.stringify(tampered)).toString("base64url");
    const result = await anchor.anchorVerifiedCredential(`${header}.${body}.${signature}`, {});
    expect(result)
      .to.have.property("refused")
      .that.matches(/InvalidAssertionSignature/);
  });

  it("refuses a credential whose issuer DID is not the key holder's", async function () {
    const credential = millCredential();
    (credential.issuer as { id: string }).id = "did:web:someone-else.example";
    const result = await anchor.anchorVerifiedCredential(signJws(credential, key, keyId), {});
    expect(result)
      .to.have.property("refused")
      .that.matches(/CredentialIssuerMismatch.*did:web:someone-else\.example/);
  });

  it("refuses a credential without a JOSE signature, and a key nobody registered", async function () {
    const unsigned = await anchor.anchorVerifiedCredential(millCredential(), {});
    expect(unsigned)
      .to.have.property("refused")
      .that.matches(/only VC-JOSE/);
    const other = await anchor.anchorVerifiedCredential(signJws(millCredential(), newP256Key(), `${keyId}-x`), {});
    expect(other)
      .to.have.property("refused")
      .that.matches(/UnknownAssertionKey/);
  });

  it("reports a revocation on chain through watchRevocations", async function () {
    const result = await anchor.anchorVerifiedCredential(signJws(millCredential(), key, keyId), {});
    if ("refused" in result) expect.fail(result.refused);
    const revoked: string[] = [];
    const stop = anchor.watchRevocations((recordId) => revoked.push(recordId));
    try {
      await (
        await chain.mtrRegistry.connect(chain.mill).revoke(result.recordId, ethers.encodeBytes32String("T"))
      ).wait();
      for (let i = 0; i < 100 && !revoked.includes(result.recordId); i++) await new Promise((r) => setTimeout(r, 100));
      expect(revoked).to.include(result.recordId);
    } finally {
      stop();
    }
  });
});
