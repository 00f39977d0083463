/** A wallet session (SIWE cookie) admits a GraphQL read without a bearer token; a token, when sent, still decides. */
import type { IncomingMessage } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { addApiKey, newApiKey } from "../../../../indexer/graphql/access/api-keys";
import { AccessPolicy, DEFAULT_SCOPE } from "../../../../indexer/graphql/access/policy";
import { AuthError } from "../../../../indexer/graphql/access/types";

const WALLET = "0x00000000000000000000000000000000000000a1";

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe("indexer/graphql/access: wallet sessions", function () {
  const keysFile = path.join(mkdtempSync(path.join(tmpdir(), "tt-keys-")), "api-keys.json");
  const key = newApiKey();
  addApiKey(keysFile, "analyst", key, [DEFAULT_SCOPE]);
  const sessions = {
    sessionOf: (req: IncomingMessage) => (req.headers.cookie === "s=ok" ? { address: WALLET } : undefined),
  };
  const policy = new AccessPolicy({ apiKeysFile: keysFile, sessions });

  it("admits a signed-in wallet with the read scope", async function () {
    const principal = await policy.authenticate(request({ cookie: "s=ok" }));
    expect(principal).to.deep.equal({ subject: `wallet:${WALLET}`, scopes: [DEFAULT_SCOPE] });
  });

  it("refuses a request with neither a session nor a token", async function () {
    for (const headers of [{}, { cookie: "s=forged" }] as Record<string, string>[]) {
      await policy.authenticate(request(headers)).then(
        () => expect.fail("admitted without credentials"),
        (e: AuthError) => expect(e.status).to.equal(401),
      );
    }
    const without = new AccessPolicy({ apiKeysFile: keysFile });
    await without.authenticate(request({ cookie: "s=ok" })).then(
      () => expect.fail("admitted a session where none are configured"),
      (e: AuthError) => expect(e.status).to.equal(401),
    );
  });

  it("judges a bearer token on its own, even beside a session", async function () {
    await policy.authenticate(request({ cookie: "s=ok", authorization: `Bearer ${newApiKey()}` })).then(
      () => expect.fail("a bad token passed because of the session"),
      (e: AuthError) => expect(e.status).to.equal(401),
    );
    const principal = await policy.authenticate(request({ authorization: `Bearer ${key}` }));
    expect(principal.subject).to.match(/^api-key:/);
  });
});
