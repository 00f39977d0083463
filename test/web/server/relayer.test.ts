/**
 * POST /app/relay over a real `hardhat node`: a signed issueBySig is sent from the relayer's account, and every
 * refusal (not a registry, not a BySig call, would revert, rate limits, bad bodies) answers with a clear error
 * and sends nothing (the relayer's nonce does not move).
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, Wallet, encryptKeystoreJson, getAddress } from "ethers";
import { MTR_DOMAIN, MTR_EIP712, issueTypes } from "../../../scripts/credentials/eip712";
import { PASSWORD_ENV } from "../../../scripts/credentials/keys";
import { mtr, type MillTestReport } from "../../../scripts/season/documents";
import { recordIdOf } from "../../../scripts/lib/record-id";
import type { HttpRoute } from "../../../indexer/graphql/http-route";
import { relayRoute, type RelayLimits } from "../../../web/server/relayer";
import {
  RELAYER_KEYSTORE_ENV,
  RELAYER_KEY_ENV,
  RELAYER_PASSWORD_FILE_ENV,
  devnetRelayerWallet,
  relayerWalletFromEnv,
} from "../../../web/server/relayer-key";
import { deployCliChain, type CliChain } from "../../helpers/cli";
import { freePort, startHardhatNode, type HardhatNode } from "../../helpers/hardhat-node";
import { messageOf } from "../../../lib/errors";

/** Serves `route` as the GraphQL server does: the body read first, then handed over. */
async function serve(route: HttpRoute): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      Promise.resolve(route.handle(req, res, Buffer.concat(chunks))).catch((e: Error) => {
        res.writeHead(500);
        res.end(e.message);
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/app/relay`, server };
}

interface Answer {
  status: number;
  body: { txHash?: string; error?: string };
  retryAfter: string | null;
}

async function post(url: string, body: unknown): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Answer["body"],
    retryAfter: res.headers.get("retry-after"),
  };
}

describe("web/server/relayer: POST /app/relay over a hardhat node @no-coverage", function () {
  this.timeout(120_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let chain: CliChain;
  let relayer: Wallet;
  let label = 0;
  const servers: Server[] = [];

  before(async function () {
    node = await startHardhatNode(await freePort());
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    chain = await deployCliChain(await provider.getSigner(0), provider);
    relayer = devnetRelayerWallet();
  });

  after(async function () {
    for (const s of servers) await new Promise((ok) => s.close(ok));
    provider?.destroy();
    await node?.stop();
  });

  /** A relay endpoint for this chain's registries, with `limits`. */
  async function endpoint(limits: Partial<RelayLimits> = {}): Promise<string> {
    const registries = {
      actorRegistry: await chain.actors.getAddress(),
      millTestReportRegistry: await chain.mtrRegistry.getAddress(),
      certificateOfOriginRegistry: await chain.cooRegistry.getAddress(),
    };
    const { url, server } = await serve(relayRoute({ rpcUrl: node.url, signer: relayer, registries, limits }));
    servers.push(server);
    return url;
  }

  /** `issueBySig` calldata for a fresh report, signed by `signer`, for `issuer`. */
  async function signedIssue(signer: Wallet, issuer = signer.address): Promise<{ to: string; data: string }> {
    const registry = chain.mtrRegistry;
    const report: MillTestReport = mtr(`relay-${++label}`);
    const deadline = BigInt((await provider.getBlock("latest"))!.timestamp) + 3600n;
    const nonce = await registry.nonces(issuer);
    const domain = {
      name: MTR_DOMAIN,
      version: "1",
      chainId: chain.chainId,
      verifyingContract: await registry.getAddress(),
    };
    const signature = await signer.signTypedData(domain, issueTypes(MTR_EIP712), { report, nonce, deadline });
    const data = registry.interface.encodeFunctionData("issueBySig", [report, issuer, deadline, signature]);
    return { to: await registry.getAddress(), data };
  }

  // Straight to the node: ethers caches an identical request for 250 ms, so getTransactionCount could answer a
  // count read just before (in the previous test) instead of the current one.
  const relayerNonce = async (): Promise<number> =>
    Number(await provider.send("eth_getTransactionCount", [relayer.address, "pending"]));

  /**
   * The receipt of a relayed transaction, asked of the node directly until it is there. (ethers'
   * waitForTransaction waits for a new block when its cached block number is older than the receipt's; on an
   * automining node no block may come, and two tests hung for their whole timeout that way.)
   */
  async function minedReceipt(hash: string): Promise<{ status: string; from: string }> {
    for (let waited = 0; waited < 30_000; waited += 100) {
      const receipt = (await provider.send("eth_getTransactionReceipt", [hash])) as {
        status: string;
        from: string;
      } | null;
      if (receipt) return receipt;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw new Error(`transaction ${hash} was not mined within 30 s`);
  }

  it("sends a signed issueBySig from the relayer's account, which pays the gas", async function () {
    const url = await endpoint();
    const payload = await signedIssue(chain.mill);
    const millBalance = await provider.getBalance(chain.mill.address);
    const answer = await post(url, payload);
    expect(answer.status, answer.body.error).to.equal(200);
    const receipt = await minedReceipt(answer.body.txHash!);
    expect(Number(receipt.status)).to.equal(1);
    expect(getAddress(receipt.from)).to.equal(relayer.address);
    const report = chain.mtrRegistry.interface.decodeFunctionData("issueBySig", payload.data)[0] as MillTestReport;
    const record = await chain.mtrRegistry.recordOf(recordIdOf(chain.mill.address, report.contentHash));
    expect(record.issuer).to.equal(chain.mill.address);
    expect(await provider.getBalance(chain.mill.address)).to.equal(millBalance);
  });

  it("refuses a payload that would revert, with the registry's reason in words, and sends nothing", async function () {
    const url = await endpoint();
    const before = await relayerNonce();
    // Signed by the importer for the mill: the signature is not the mill's.
    const forged = await post(url, await signedIssue(chain.importer, chain.mill.address));
    expect(forged.status).to.equal(422);
    expect(forged.body.error).to.match(/^millTestReportRegistry\.issueBySig would revert: InvalidSignature\(/);
    expect(forged.body.error).to.include("sign").and.not.include("0x08c379a0");
    // Signed by the importer for itself: an importer is not a mill.
    const notMill = await post(url, await signedIssue(chain.importer));
    expect(notMill.status).to.equal(422);
    expect(notMill.body.error).to.match(/would revert: .*ActorNotActive\(/);
    expect(await relayerNonce()).to.equal(before);
  });

  it("relays only BySig calls to this deployment's registries", async function () {
    const url = await endpoint();
    const before = await relayerNonce();
    const { to, data } = await signedIssue(chain.mill);
    const elsewhere = await post(url, { to: chain.importer.address, data });
    expect(elsewhere.status).to.equal(403);
    expect(elsewhere.body.error).to.include("is not a TradeTrace registry of this deployment");
    const direct = chain.mtrRegistry.interface.encodeFunctionData("issue", [mtr(`direct-${++label}`)]);
    const notSigned = await post(url, { to, data: direct });
    expect(notSigned.status).to.equal(403);
    expect(notSigned.body.error).to.match(/issue is not relayed: only signed \(BySig\) calls are, here .*issueBySig/);
    const grant = chain.actors.interface.encodeFunctionData("suspend", [chain.mill.address, `0x${"00".repeat(32)}`]);
    const admin = await post(url, { to: await chain.actors.getAddress(), data: grant });
    expect(admin.status).to.equal(403);
    expect(admin.body.error).to.include("actorRegistry.suspend is not relayed");
    const garbage = await post(url, { to, data: "0xdeadbeef00" });
    expect(garbage.status).to.equal(400);
    expect(garbage.body.error).to.include("is not a call of a millTestReportRegistry function");
    expect(await relayerNonce()).to.equal(before);
  });

  it("refuses malformed and oversized bodies", async function () {
    const url = await endpoint({ maxBodyBytes: 4096 });
    const before = await relayerNonce();
    const { to, data } = await signedIssue(chain.mill);
    const cases: [unknown, number, string][] = [
      ["{not json", 400, "not JSON"],
      [[to, data], 400, "must be a JSON object { to, data }"],
      [{ to, data, value: "1" }, 400, "unexpected member value"],
      [{ to: "0x1234", data }, 400, "to must be a registry address"],
      [{ to, data: "issue it" }, 400, "data must be the 0x-hex encoded registry call"],
      [{ to, data: `${data}${"00".repeat(4096)}` }, 413, "exceeds 4096 bytes"],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post(url, body);
      expect(answer.status, message).to.equal(status);
      expect(answer.body.error).to.include(message);
    }
    const get = await fetch(url);
    expect(get.status).to.equal(405);
    expect(await relayerNonce()).to.equal(before);
  });

  it("rate-limits per signing address and per IP, with Retry-After", async function () {
    const perAddress = await endpoint({ perAddress: { max: 1, windowMs: 60_000 } });
    const first = await post(perAddress, await signedIssue(chain.mill2));
    expect(first.status, first.body.error).to.equal(200);
    await minedReceipt(first.body.txHash!);
    const before = await relayerNonce();
    const second = await post(perAddress, await signedIssue(chain.mill2));
    expect(second.status).to.equal(429);
    expect(second.body.error).to.equal(`too many relay requests for ${chain.mill2.address}`);
    expect(Number(second.retryAfter)).to.be.within(1, 60);
    const other = await post(perAddress, await signedIssue(chain.mill));
    expect(other.status, "another address is not limited").to.equal(200);
    await minedReceipt(other.body.txHash!);

    const perIp = await endpoint({ perIp: { max: 2, windowMs: 60_000 } });
    const afterOther = await relayerNonce();
    expect(afterOther).to.equal(before + 1);
    await post(perIp, "{}");
    await post(perIp, "{}");
    const third = await post(perIp, await signedIssue(chain.mill));
    expect(third.status).to.equal(429);
    expect(third.body.error).to.equal("too many relay requests from this address");
    expect(Number(third.retryAfter)).to.be.within(1, 60);
    expect(await relayerNonce()).to.equal(afterOther);
  });

  describe("the relayer's key", function () {
    const key = Wallet.createRandom().privateKey;

    it("comes from TRADETRACE_RELAYER_KEY or an encrypted keystore, else there is no relayer", async function () {
      expect(await relayerWalletFromEnv({}, "/")).to.equal(undefined);
      expect((await relayerWalletFromEnv({ [RELAYER_KEY_ENV]: ` ${key}\n` }, "/"))?.privateKey).to.equal(key);
      const dir = mkdtempSync(path.join(tmpdir(), "tt-relayer-"));
      const account = new Wallet(key);
      const json = await encryptKeystoreJson({ address: account.address, privateKey: key }, "correct horse battery", {
        scrypt: { N: 131_072 },
      });
      writeFileSync(path.join(dir, "relayer.json"), json);
      writeFileSync(path.join(dir, "password"), "correct horse battery\n");
      const fromFile = await relayerWalletFromEnv(
        { [RELAYER_KEYSTORE_ENV]: "relayer.json", [RELAYER_PASSWORD_FILE_ENV]: "password" },
        dir,
      );
      expect(fromFile?.address).to.equal(account.address);
      const fromEnv = await relayerWalletFromEnv(
        { [RELAYER_KEYSTORE_ENV]: "relayer.json", [PASSWORD_ENV]: "correct horse battery" },
        dir,
      );
      expect(fromEnv?.address).to.equal(account.address);
    });

    it("refuses a bad key or a wrong password without showing the key", async function () {
      const bad = key.slice(0, -2);
      let message = "";
      try {
        await relayerWalletFromEnv({ [RELAYER_KEY_ENV]: bad }, "/");
      } catch (e) {
        message = messageOf(e);
      }
      expect(message).to.equal("TRADETRACE_RELAYER_KEY is not a valid private key");
      const dir = mkdtempSync(path.join(tmpdir(), "tt-relayer-"));
      writeFileSync(path.join(dir, "relayer.json"), "{}");
      await relayerWalletFromEnv({ [RELAYER_KEYSTORE_ENV]: "relayer.json", [PASSWORD_ENV]: "x" }, dir).then(
        () => expect.fail("accepted a file that is no keystore"),
        (e: Error) => expect(e.message).to.include("is not an encrypted JSON keystore"),
      );
    });

    it("is a funded devnet account on npm start's devnet (Hardhat's account #19)", async function () {
      expect(await provider.getBalance(devnetRelayerWallet().address)).to.be.greaterThan(10n ** 21n);
    });
  });
});
