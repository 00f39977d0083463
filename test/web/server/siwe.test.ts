/**
 * Sign-In with Ethereum over HTTP: nonce, verify, session cookie, logout; and each refusal (replayed or expired
 * nonce, wrong domain, wrong chain, expired message, someone else's signature) leaves nobody signed in.
 */
import { createServer, type Server } from "node:http";
import { expect } from "chai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { matchRoute } from "../../../indexer/graphql/http-route";
import { NONCE_TTL_MS, SESSION_COOKIE, SESSION_TTL_MS, SiweAuth, cookieValue } from "../../../web/server/siwe";

const CHAIN_ID = 31337;

describe("web/server/siwe: Sign-In with Ethereum @no-coverage", function () {
  let server: Server;
  let base: string;
  let host: string;
  let clock = Date.now();
  const account = privateKeyToAccount(generatePrivateKey());
  const other = privateKeyToAccount(generatePrivateKey());

  before(async function () {
    const auth = new SiweAuth({ chainId: CHAIN_ID, now: () => clock });
    const routes = auth.routes();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const route = matchRoute(routes, req.method ?? "GET", new URL(req.url ?? "/", "http://x").pathname);
        if (!route) {
          res.writeHead(404);
          res.end();
          return;
        }
        void Promise.resolve(route.handle(req, res, Buffer.concat(chunks)));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    host = `127.0.0.1:${(server.address() as { port: number }).port}`;
    base = `http://${host}`;
  });

  after(async function () {
    await new Promise((ok) => server.close(ok));
  });

  beforeEach(function () {
    clock = Date.now();
  });

  async function nonce(): Promise<string> {
    const res = await fetch(`${base}/app/siwe/nonce`, { method: "POST" });
    expect(res.status).to.equal(200);
    return ((await res.json()) as { nonce: string }).nonce;
  }

  function message(n: string, overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}): string {
    return createSiweMessage({
      domain: host,
      address: account.address,
      statement: "Sign in to TradeTrace",
      uri: base,
      version: "1",
      chainId: CHAIN_ID,
      nonce: n,
      issuedAt: new Date(clock),
      ...overrides,
    });
  }

  async function verify(
    text: string,
    signature?: string,
  ): Promise<{ status: number; body: Record<string, unknown>; cookie: string | null }> {
    const res = await fetch(`${base}/app/siwe/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: text, signature: signature ?? (await account.signMessage({ message: text })) }),
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      cookie: res.headers.get("set-cookie"),
    };
  }

  async function session(cookie?: string | null): Promise<Record<string, unknown>> {
    const value = cookie ? cookie.split(";")[0] : undefined;
    const res = await fetch(`${base}/app/session`, { headers: value ? { cookie: value } : {} });
    return (await res.json()) as Record<string, unknown>;
  }

  it("signs in with a fresh nonce: an HttpOnly SameSite=Strict session cookie, and /app/session says who", async function () {
    const answer = await verify(message(await nonce()));
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body.address).to.equal(account.address);
    expect(answer.cookie).to.match(
      new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`),
    );
    expect(Number(/Max-Age=(\d+)/.exec(answer.cookie!)![1])).to.equal(SESSION_TTL_MS / 1000);
    expect(await session(answer.cookie)).to.deep.include({ address: account.address, chainId: CHAIN_ID });
    expect(await session()).to.deep.equal({ address: null });
    expect(await session(`${SESSION_COOKIE}=forged`)).to.deep.equal({ address: null });

    clock += SESSION_TTL_MS + 1;
    expect(await session(answer.cookie), "the session expires").to.deep.equal({ address: null });
  });

  it("ends the session on logout", async function () {
    const { cookie } = await verify(message(await nonce()));
    const res = await fetch(`${base}/app/logout`, { method: "POST", headers: { cookie: cookie!.split(";")[0] } });
    expect(res.status).to.equal(200);
    expect(res.headers.get("set-cookie")).to.match(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));
    expect(await session(cookie)).to.deep.equal({ address: null });
  });

  it("ends the session at the message's expiration time when that is sooner", async function () {
    const { cookie, body } = await verify(message(await nonce(), { expirationTime: new Date(clock + 60_000) }));
    expect(body.expiresAt).to.equal(clock + 60_000);
    expect(Number(/Max-Age=(\d+)/.exec(cookie!)![1])).to.equal(60);
  });

  it("refuses each bad sign-in and signs nobody in", async function () {
    const used = await nonce();
    expect((await verify(message(used))).status).to.equal(200);
    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown>; cookie: string | null }>][] = [
      ["the nonce is unknown or was already used", async () => verify(message(used))],
      ["the nonce is unknown or was already used", async () => verify(message("abcdefgh12345678"))],
      [
        "the nonce has expired",
        async () => {
          const n = await nonce();
          clock += NONCE_TTL_MS + 1;
          return verify(message(n, { issuedAt: new Date(clock) }));
        },
      ],
      [
        "the message is for evil.example, not this server",
        async () => verify(message(await nonce(), { domain: "evil.example" })),
      ],
      [
        "the message is for chain 1; this server serves chain 31337: switch network",
        async () => verify(message(await nonce(), { chainId: 1 })),
      ],
      [
        "the message has expired",
        async () => verify(message(await nonce(), { expirationTime: new Date(clock - 1000) })),
      ],
      [
        "the message is not valid yet",
        async () => verify(message(await nonce(), { notBefore: new Date(clock + 60_000) })),
      ],
      [
        `the signature is not ${account.address}'s`,
        async () => {
          const text = message(await nonce());
          return verify(text, await other.signMessage({ message: text }));
        },
      ],
      ["the signature cannot be read", async () => verify(message(await nonce()), "0x1234")],
      ["not a Sign-In with Ethereum message", async () => verify("hello", "0x1234")],
      ["signature must be 0x-hex", async () => verify(message(await nonce()), "signed")],
    ];
    for (const [expected, attempt] of cases) {
      const answer = await attempt();
      expect(answer.status, expected).to.be.oneOf([400, 401]);
      expect(String(answer.body.error)).to.include(expected);
      expect(answer.cookie, expected).to.equal(null);
    }
    const res = await fetch(`${base}/app/siwe/verify`, { method: "POST", body: "{" });
    expect(res.status).to.equal(400);
  });

  it("spends a nonce on a failed attempt too", async function () {
    const n = await nonce();
    const text = message(n);
    expect((await verify(text, await other.signMessage({ message: text }))).status).to.equal(401);
    const retry = await verify(text);
    expect(retry.status).to.equal(401);
    expect(retry.body.error).to.include("already used");
  });

  it("reads cookies by name", function () {
    expect(cookieValue("a=1; tradetrace_session=xyz; b=2", SESSION_COOKIE)).to.equal("xyz");
    expect(cookieValue("a=1", SESSION_COOKIE)).to.equal(undefined);
    expect(cookieValue(undefined, SESSION_COOKIE)).to.equal(undefined);
  });
});
