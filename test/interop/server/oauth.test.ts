import { expect } from "chai";
import { readFileSync } from "node:fs";
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from "jose";
import { MESSAGES } from "../../../interop/server/errors";
import { json, startTestNode, type TestNode } from "../helpers";

describe("interop node: OAuth 2.0 client credentials @no-coverage", function () {
  let t: TestNode;
  before(async () => {
    t = await startTestNode();
  });
  after(() => t.close());

  const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
  const FORM = { "content-type": "application/x-www-form-urlencoded" };

  it("answers a form request with an ES256 JWT carrying exp, aud and every registered scope", async () => {
    const reply = await t.request(
      "POST",
      "/oauth/token",
      form({ grant_type: "client_credentials", client_id: t.client.clientId, client_secret: t.client.clientSecret }),
      FORM,
    );
    expect(reply.status).to.equal(200);
    const body = json<{ access_token: string; token_type: string; expires_in: number; scope: string }>(reply);
    expect(body.token_type).to.equal("Bearer");
    expect(body.expires_in).to.be.above(0);
    expect(decodeProtectedHeader(body.access_token)).to.include({ alg: "ES256", kid: `${t.node.did}#key-1` });
    const claims = decodeJwt(body.access_token);
    expect(claims.aud).to.equal(t.node.audience);
    expect(claims.sub).to.equal(t.client.clientId);
    expect(claims.exp)
      .to.be.a("number")
      .above(Date.now() / 1000);
    expect(String(claims.scope).split(" ")).to.include.members([
      "resolve:dids",
      "issue:credentials",
      "submit:presentations",
    ]);
  });

  it("takes the client in a JSON body and as HTTP Basic", async () => {
    const jsonReply = await t.request("POST", "/oauth/token", {
      grant_type: "client_credentials",
      client_id: t.client.clientId,
      client_secret: t.client.clientSecret,
      audience: t.node.audience,
    });
    expect(jsonReply.status).to.equal(200);
    const basic = Buffer.from(`${t.client.clientId}:${t.client.clientSecret}`).toString("base64");
    const basicReply = await t.request(
      "POST",
      "/oauth/token",
      form({ grant_type: "client_credentials", scope: "resolve:dids" }),
      { ...FORM, authorization: `Basic ${basic}` },
    );
    expect(basicReply.status).to.equal(200);
    expect(decodeJwt(json<{ access_token: string }>(basicReply).access_token).scope).to.equal("resolve:dids");
  });

  it("refuses a wrong secret, an unknown client, another grant, a foreign audience and an unregistered scope", async () => {
    const base = {
      grant_type: "client_credentials",
      client_id: t.client.clientId,
      client_secret: t.client.clientSecret,
    };
    const cases: [Record<string, string>, number, string][] = [
      [{ ...base, client_secret: "wrong" }, 401, "invalid_client"],
      [{ ...base, client_id: "client-unknown" }, 401, "invalid_client"],
      [{ ...base, grant_type: "password" }, 400, "unsupported_grant_type"],
      [{ ...base, audience: "https://elsewhere.example" }, 400, "invalid_target"],
      [{ ...base, scope: "resolve:dids admin:everything" }, 400, "invalid_scope"],
    ];
    for (const [fields, status, error] of cases) {
      const reply = await t.request("POST", "/oauth/token", form(fields), FORM);
      expect(reply.status, error).to.equal(status);
      expect(json(reply).error).to.equal(error);
    }
  });

  it("stores client secrets only as salted hashes", () => {
    const file = readFileSync(t.node.clientsFile, "utf8");
    expect(file).to.not.include(t.client.clientSecret);
    expect(file).to.match(/"secretHash": "scrypt\$/);
  });

  it("answers 401 without a token or with a bad one, and 403 without the route's scope", async () => {
    const none = await t.request("GET", `/identifiers/${t.node.did}`);
    expect(none.status).to.equal(401);
    expect(json(none).message).to.equal(MESSAGES.unauthorized);
    const garbage = await t.request("GET", `/identifiers/${t.node.did}`, undefined, {
      authorization: "Bearer not.a.jwt",
    });
    expect(garbage.status).to.equal(401);
    const narrow = await t.token("verify:credentials");
    const forbidden = await t.request("GET", `/identifiers/${t.node.did}`, undefined, {
      authorization: `Bearer ${narrow}`,
    });
    expect(forbidden.status).to.equal(403);
    expect(json(forbidden).message).to.equal(MESSAGES.forbidden);
    const allowed = await t.authed("GET", `/identifiers/${t.node.did}`, undefined, "resolve:dids");
    expect(allowed.status).to.equal(200);
  });

  it("refuses an expired token and one signed by a key the node does not hold", async () => {
    const { kid, privateJwk } = t.node.context.identity.tokenKey();
    const sign = async (jwk: JsonWebKey, exp: number): Promise<string> =>
      new SignJWT({ scope: "resolve:dids" })
        .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
        .setIssuer(t.node.url)
        .setSubject(t.client.clientId)
        .setAudience(t.node.audience)
        .setIssuedAt(exp - 3600)
        .setExpirationTime(exp)
        .sign(await importJWK(jwk, "ES256"));
    const now = Math.floor(Date.now() / 1000);
    const valid = await sign(privateJwk, now + 60);
    expect(
      (await t.request("GET", `/identifiers/${t.node.did}`, undefined, { authorization: `Bearer ${valid}` })).status,
    ).to.equal(200);
    const expired = await sign(privateJwk, now - 5);
    const reply = await t.request("GET", `/identifiers/${t.node.did}`, undefined, {
      authorization: `Bearer ${expired}`,
    });
    expect(reply.status).to.equal(401);
    expect(json(reply).message).to.equal(MESSAGES.unauthorized);
    const { generateKeyPairSync } = await import("node:crypto");
    const foreign = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const forged = await sign(foreign, now + 60);
    expect(
      (await t.request("GET", `/identifiers/${t.node.did}`, undefined, { authorization: `Bearer ${forged}` })).status,
    ).to.equal(401);
  });
});
