/**
 * Issue #18's round trip: a mill's organisation issues a VC-JOSE mill test report, an exporter presents it with a
 * chamber's certificate of origin under a workflow instance, the node verifies and anchors both on a real hardhat
 * node (the deploy script's registries, the node's chain connection of scripts/interop/chain.ts), the embedded
 * indexer runs the subgraph over them, and the shipment filed with that instance shows a complete pouch; a
 * revocation on chain then flips the credential's status at the node.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Network, NonceManager, Wallet, ethers, type Signer } from "ethers";
import { ChainIndexer } from "../../indexer/runner/chain-indexer";
import { httpRpc } from "../../indexer/chain/rpc";
import { QueryEngine } from "../../indexer/graphql/engine";
import { loadManifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import { workflowInstanceId } from "../../interop/anchor/signed-credential";
import { issueCredential, provePresentation } from "../../interop/proofs";
import { renderManifest } from "../../scripts/subgraph/render-manifest";
import { buildSubgraphIfChanged } from "../../scripts/subgraph/build";
import {
  INTEROP_RELAYER_KEY_ENV,
  connectAnchoring,
  devnetInteropRelayerWallet,
  readAnchorDeployment,
  type ChainAnchoring,
} from "../../scripts/interop/chain";
import { main } from "../../scripts/interop/cli";
import { PASSWORD_ENV } from "../../interop/server/keys";
import type { InteropNode } from "../../interop/server/node";
import { devnetRelayerWallet } from "../../web/server/relayer-key";
import { shipmentIdOf } from "../../scripts/season/shipments";
import {
  ActorRegistry__factory,
  MillTestReportRegistry__factory,
  ShipmentRegistry__factory,
  type ActorRegistry,
  type MillTestReportRegistry,
} from "../../typechain-types";
import {
  ACTOR_CREDENTIAL_TYPES,
  ACTOR_REGISTRY_NAME,
  ACTOR_REGISTRY_VERSION,
  ALL_ROLES,
  BusinessRole,
} from "../helpers/actors";
import { runDeployScript } from "../helpers/deploy-script";
import { freePort, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { SHARED_FIXTURES } from "../helpers/credentials";
import { newP256Key, signJws, type P256Key } from "../helpers/jws";
import { TEST_PASSWORD, freshDataDir, startTestNode, type TestNode } from "./helpers";

const FIXTURES = path.join(__dirname, "..", "fixtures", "credentials");
const SUBGRAPH = path.join(__dirname, "..", "..", "subgraph");
const V2 = "https://www.w3.org/ns/credentials/v2";
const TRACEABILITY = "https://w3id.org/traceability/v1";

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked field by field */
type Row = Record<string, any>;

/** An onboarded organisation: its account, its did:web, and (for issuers) its registered P-256 key. */
interface Organisation {
  wallet: Wallet;
  did: string;
  key: P256Key;
  keyId: string;
}

describe("interop: the round trip, node → chain → subgraph → node @no-coverage", function () {
  this.timeout(300_000);
  let chainNode: HardhatNode;
  let provider: JsonRpcProvider;
  let dir: string;
  let anchoring: ChainAnchoring;
  let t: TestNode;
  let actors: ActorRegistry;
  let mtrs: MillTestReportRegistry;
  let cbp: Signer;
  const orgs: Record<string, Organisation> = {};
  let serial = 0;
  const lower = (address: string): string => address.toLowerCase();

  const fixture = (name: string): Record<string, any> =>
    JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as Record<string, any>;

  /** Onboards a new organisation with `roles` (a trusted-issuer credential from CBP) and lists its DID document. */
  async function onboard(name: string, roles: number, country: string, listed = true): Promise<Organisation> {
    const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
    await (await cbp.sendTransaction({ to: wallet.address, value: 10n ** 18n })).wait();
    const did = `did:web:${name}.${wallet.address.slice(2, 10).toLowerCase()}.example.com`;
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    const credential = {
      subject: wallet.address,
      did,
      roles,
      country: ethers.hexlify(ethers.toUtf8Bytes(country)),
      legalNameHash: ethers.id(name),
      identifiersHash: ethers.id(`ids of ${name}`),
      validFrom: now - 1n,
      validUntil: now + 365n * 86400n,
      credentialId: ethers.hexlify(ethers.randomBytes(32)),
    };
    const domain = {
      name: ACTOR_REGISTRY_NAME,
      version: ACTOR_REGISTRY_VERSION,
      chainId: 31337,
      verifyingContract: await actors.getAddress(),
    };
    const signature = await cbp.signTypedData(domain, ACTOR_CREDENTIAL_TYPES, credential);
    await (await actors.onboard(credential, await cbp.getAddress(), signature)).wait();
    const key = newP256Key();
    const keyId = `${did}#key-1`;
    await (await actors.connect(wallet).registerAssertionKey(keyId, key.x, key.y)).wait();
    if (listed) {
      t.node.context.store.onboard(did, {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
        id: did,
        verificationMethod: [{ id: keyId, type: "JsonWebKey2020", controller: did, publicKeyJwk: key.publicJwk }],
        assertionMethod: [keyId],
        authentication: [keyId],
      });
    }
    const org = { wallet, did, key, keyId };
    orgs[name] = org;
    return org;
  }

  const signingKey = (org: Organisation, did = org.did) => ({
    id: did === org.did ? org.keyId : `${did}#key-1`,
    privateJwk: org.key.privateKey.export({ format: "jwk" }) as JsonWebKey,
  });

  /** The fixture mill test report as `org` issues it (a VC-JOSE compact JWS). */
  async function millTestReport(org: Organisation, issuerDid = org.did): Promise<{ id: string; jws: string }> {
    const credential = fixture("MillTestReportCredential.multi-inspection.json");
    const id = `urn:uuid:${ethers.hexlify(ethers.randomBytes(16)).slice(2)}`;
    credential.id = id;
    credential.issuer.id = issuerDid;
    if (credential.issuer.location?.address) credential.issuer.location.address.addressCountry = "US";
    delete credential.validUntil;
    credential.credentialSubject.certificateNumber = `RT-${++serial}`;
    const jws = (await issueCredential(credential, signingKey(org, issuerDid), { format: "vc-jwt" })) as string;
    return { id, jws };
  }

  /** The vocabulary's certificate of origin example, issued by the chamber for the exporter and importer. */
  async function certificateOfOrigin(): Promise<{ id: string; jws: string }> {
    const credential = JSON.parse(
      fs.readFileSync(path.join(SHARED_FIXTURES, "traceability-vocab", "CertificationOfOrigin.example.json"), "utf8"),
    ) as Record<string, any>;
    const id = `urn:uuid:${ethers.hexlify(ethers.randomBytes(16)).slice(2)}`;
    credential.id = id;
    credential.issuer.id = orgs.chamber.did;
    credential.credentialSubject.manufacturingCountry = "US";
    const [item] = credential.credentialSubject.items as Record<string, any>[];
    item.product.commodity.commodityCode = "730419";
    item.product.seller = { type: ["Organization"], id: orgs.exporter.did, name: "Aceros del Norte" };
    item.shipToParty = { type: ["Organization"], id: orgs.importer.did, name: "Gulf Pipe Supply" };
    return { id, jws: (await issueCredential(credential, signingKey(orgs.chamber), { format: "vc-jwt" })) as string };
  }

  /** The exporter's TraceablePresentation of `credentials` under `instance`, proved with its own key. */
  async function present(credentials: string[], instance: string): Promise<{ status: number; body: Row }> {
    const presentation = {
      "@context": [V2, TRACEABILITY],
      id: `urn:uuid:${ethers.hexlify(ethers.randomBytes(16)).slice(2)}`,
      type: ["VerifiablePresentation", "TraceablePresentation"],
      holder: orgs.exporter.did,
      workflow: { definition: ["urn:steel-import"], instance: [instance] },
      verifiableCredential: credentials,
    };
    const vp = await provePresentation(presentation, signingKey(orgs.exporter), { format: "vc-jwt" });
    const reply = await t.authed("POST", "/presentations", { verifiablePresentation: vp }, "submit:presentations");
    return { status: reply.status, body: JSON.parse(reply.body) as Row };
  }

  async function verify(jws: string): Promise<Row> {
    const reply = await t.authed("POST", "/credentials/verify", { verifiableCredential: jws }, "verify:credentials");
    expect(reply.status, reply.body).to.equal(200);
    return JSON.parse(reply.body) as Row;
  }

  /** Every SignedCredentialAnchored event of both registries so far. */
  async function anchoredCount(): Promise<number> {
    const head = await provider.getBlockNumber();
    const logs = await provider.getLogs({
      fromBlock: 0,
      toBlock: head,
      topics: [mtrs.interface.getEvent("SignedCredentialAnchored").topicHash],
    });
    return logs.length;
  }

  before(async function () {
    chainNode = await startHardhatNode(await freePort());
    provider = new JsonRpcProvider(chainNode.url, undefined, {
      staticNetwork: Network.from(31337),
      pollingInterval: 100,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-round-trip-"));
    const deployed = await runDeployScript(chainNode.url, dir);
    expect(deployed.code, deployed.stderr).to.equal(0);
    const deployment = readAnchorDeployment(path.join(dir, "localhost.json"));
    cbp = await provider.getSigner(0);
    actors = ActorRegistry__factory.connect(deployment.contracts.ActorRegistry.address, cbp);
    mtrs = MillTestReportRegistry__factory.connect(deployment.contracts.MillTestReportRegistry.address, cbp);
    await (await actors.setTrustedIssuer(await cbp.getAddress(), ALL_ROLES)).wait();
    const relayer = new Wallet(Wallet.createRandom().privateKey, provider);
    await (await cbp.sendTransaction({ to: relayer.address, value: 10n ** 19n })).wait();
    anchoring = await connectAnchoring({ rpc: chainNode.url, deployment, relayer, pollIntervalMs: 100 });
    t = await startTestNode({ anchoring });
    await onboard("mill", BusinessRole.Mill, "US");
    await onboard("chamber", BusinessRole.Certifier, "MX");
    await onboard("exporter", BusinessRole.Exporter, "MX");
    await onboard("importer", BusinessRole.Importer, "US");
    await onboard("carrier", BusinessRole.Carrier, "PA");
  });

  after(async function () {
    await t?.close();
    provider?.destroy();
    await chainNode?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("anchors a presented MTR and certificate of origin; the shipment of that instance has a complete pouch; a revocation on chain flips the status", async function () {
    const mtr = await millTestReport(orgs.mill);
    const coo = await certificateOfOrigin();
    expect((await verify(mtr.jws)).verified).to.equal(true);
    const presented = await present([mtr.jws, coo.jws], "urn:uuid:clearance-rt-1");
    expect(presented.status, JSON.stringify(presented.body)).to.equal(202);
    const anchored = presented.body.anchored as Row[];
    expect(anchored.map((a) => a.credentialId)).to.deep.equal([mtr.id, coo.id]);
    for (const a of anchored) expect(a, JSON.stringify(a)).to.have.property("recordId");
    expect((await mtrs.recordOf(anchored[0].recordId)).issuer).to.equal(orgs.mill.wallet.address);

    // The importer files two shipments: one under the presentation's instance, one under an empty pouch.
    const shipments = ShipmentRegistry__factory.connect(
      readAnchorDeployment(path.join(dir, "localhost.json")).contracts.ShipmentRegistry.address,
      new NonceManager(orgs.importer.wallet), // two filings in a row: ethers' nonce lookup may lag a block
    );
    const code = (text: string) => ethers.hexlify(ethers.toUtf8Bytes(text));
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    const filing = (instance: string) => ({
      parties: {
        importer: orgs.importer.wallet.address,
        exporter: orgs.exporter.wallet.address,
        manufacturer: orgs.mill.wallet.address,
        carrier: orgs.carrier.wallet.address,
      },
      lines: [{ hts: 7304191020n, declaredKg: 10_000n, declaredValueCents: 1_500_000n, originCountry: code("US") }],
      exportCountry: code("MX"),
      transshipmentCountries: [],
      portOfLading: code("MXZLO"),
      portOfEntry: code("USHOU"),
      estimatedArrival: now + 10n * 86400n,
      billOfLading: "MAEU000000001",
      entryNumber: "",
      workflowInstanceId: workflowInstanceId(instance),
    });
    await (await shipments.fileShipment(ethers.id("rt:complete"), filing("urn:uuid:clearance-rt-1"))).wait();
    await (await shipments.fileShipment(ethers.id("rt:empty"), filing("urn:uuid:clearance-rt-none"))).wait();

    renderManifest({ network: "localhost", deploymentsDir: dir });
    await buildSubgraphIfChanged(SUBGRAPH); // a fresh devnet's addresses are the same each run: built once
    const manifest = loadManifest(SUBGRAPH);
    const store = new SqliteStore(":memory:", loadSubgraphSchema(manifest.schemaFile));
    try {
      await new ChainIndexer({ manifest, store, rpc: httpRpc(chainNode.url) }).syncOnce();
      const engine = new QueryEngine(store);
      const shipment = async (reference: string): Promise<Row> => {
        const result = await engine.execute({
          query: `query ($id: ID!) { shipment(id: $id) { missingCredentials
            pouch { millTestReports certificatesOfOrigin
            anchorings { kind issuer { id } active fieldsMatch } } } }`,
          variables: { id: shipmentIdOf(orgs.importer.wallet.address, ethers.id(reference)).toLowerCase() },
        });
        expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
        return (result.data as Row).shipment as Row;
      };
      const complete = await shipment("rt:complete");
      expect(complete.missingCredentials).to.deep.equal([]);
      expect(complete.pouch.millTestReports).to.be.greaterThan(0);
      expect(complete.pouch.certificatesOfOrigin).to.equal(1);
      const anchorings = complete.pouch.anchorings as Row[];
      expect(anchorings.map((a) => a.issuer.id)).to.have.members([
        ...anchorings.filter((a) => a.kind !== "CERTIFICATE_OF_ORIGIN").map(() => lower(orgs.mill.wallet.address)),
        lower(orgs.chamber.wallet.address),
      ]);
      expect(anchorings.every((a) => a.active && a.fieldsMatch)).to.equal(true);
      const empty = await shipment("rt:empty");
      expect(empty.missingCredentials).to.have.members(["MILL_TEST_REPORT", "CERTIFICATE_OF_ORIGIN"]);
    } finally {
      store.close();
    }

    // The mill revokes one of its records on chain: the node's watcher mirrors it, verify reports it.
    await (
      await mtrs.connect(orgs.mill.wallet).revoke(anchored[0].recordId, ethers.encodeBytes32String("WITHDRAWN"))
    ).wait();
    let verdict = await verify(mtr.jws);
    for (let i = 0; i < 100 && verdict.verified !== false; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      verdict = await verify(mtr.jws);
    }
    expect(verdict.verified).to.equal(false);
    expect(verdict.errors).to.include("the credential's on-chain record is revoked");
    expect((await verify(coo.jws)).verified).to.equal(true);
  });

  it("refuses an issuer who isn't onboarded, and an issuer DID other than the key holder's: nothing anchored", async function () {
    const before = await anchoredCount();
    const stranger = await onboard("stranger", BusinessRole.Mill, "US", true);
    // Registered as an actor yet, for this case, speaking for a DID nobody onboarded.
    const outsider = await millTestReport(stranger, "did:web:not-onboarded.example.com");
    t.node.context.store.onboard("did:web:not-onboarded.example.com", {
      id: "did:web:not-onboarded.example.com",
      verificationMethod: [
        {
          id: "did:web:not-onboarded.example.com#key-1",
          type: "JsonWebKey2020",
          controller: "did:web:not-onboarded.example.com",
          publicKeyJwk: stranger.key.publicJwk,
        },
      ],
      assertionMethod: ["did:web:not-onboarded.example.com#key-1"],
    });
    const notOnboarded = await present([outsider.jws], "urn:uuid:clearance-rt-2");
    expect(notOnboarded.status, JSON.stringify(notOnboarded.body)).to.equal(202);
    expect(notOnboarded.body.anchored[0].refused).to.match(
      /^the issuer did:web:not-onboarded\.example\.com is not an onboarded actor: UnknownAssertionKey/,
    );

    // The mill's key, the mill's signature, but the issuer names the chamber: the chain refuses the mismatch.
    const credential = fixture("MillTestReportCredential.multi-inspection.json");
    credential.id = `urn:uuid:${ethers.hexlify(ethers.randomBytes(16)).slice(2)}`;
    credential.issuer.id = orgs.chamber.did;
    delete credential.validUntil;
    credential.credentialSubject.certificateNumber = `RT-${++serial}`;
    const mismatched = signJws(credential, orgs.mill.key, orgs.mill.keyId);
    const reply = await present([mismatched], "urn:uuid:clearance-rt-3");
    expect(reply.status, JSON.stringify(reply.body)).to.equal(422);
    expect(JSON.stringify(reply.body.details)).to.match(/chamber.*mill|mill.*chamber/);
    expect(t.node.context.store.credential(credential.id as string)).to.equal(undefined);
    expect(await anchoredCount()).to.equal(before);
  });

  it("npm run interop -- --rpc --deployment anchors from the relayer of the environment, never printing its key; npm start's is devnet #18", async function () {
    const relayer = Wallet.createRandom();
    let out = "";
    const served = await main(
      ["serve", "--port", "0", "--http", "--data-dir", freshDataDir(), "--rpc", chainNode.url],
      {
        stdout: (text) => (out += text),
        stderr: (text) => (out += text),
        env: { [PASSWORD_ENV]: TEST_PASSWORD, [INTEROP_RELAYER_KEY_ENV]: relayer.privateKey },
        cwd: dir,
      },
    );
    expect(served, out).to.equal(1); // neither --deployment nor --network
    out = "";
    const node = (await main(
      [
        "serve",
        "--port",
        "0",
        "--http",
        "--data-dir",
        freshDataDir(),
        "--rpc",
        chainNode.url,
        "--deployment",
        "localhost.json",
      ],
      {
        stdout: (text) => (out += text),
        stderr: (text) => (out += text),
        env: { [PASSWORD_ENV]: TEST_PASSWORD, [INTEROP_RELAYER_KEY_ENV]: relayer.privateKey },
        cwd: dir,
      },
    )) as InteropNode;
    try {
      expect(out).to.include(`anchoring on ${chainNode.url}, relayer ${relayer.address}`);
      expect(out).not.to.include(relayer.privateKey.slice(2));
    } finally {
      await node.close();
    }
    const devnet = devnetInteropRelayerWallet();
    expect(devnet.address).to.equal((await provider.getSigner(18)).address);
    expect(devnet.address).not.to.equal(devnetRelayerWallet().address);
  });
});
