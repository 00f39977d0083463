/** The JWT verifier's strictness beyond the HTTP tests of access.test.ts: headers, keys, claims, JWKS sources. */
import { expect } from "chai";
import { generateKeyPairSync, sign } from "node:crypto";
import fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { JwtVerifier, jwksSource } from "../../../../indexer/graphql/access/jwt";
import { AUDIENCE, ISSUER, claims, makeIssuer, signJwt, type Issuer } from "../../../helpers/graphql-auth";
import { messageOf } from "../../../../lib/errors";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("indexer/graphql/access JwtVerifier", () => {
  let dir: string;
  let issuer: Issuer;
  let verifier: JwtVerifier;
  before(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), "tt-jwt-"));
    issuer = makeIssuer();
    const jwks = path.join(dir, "jwks.json");
    fs.writeFileSync(jwks, JSON.stringify(issuer.jwks));
    verifier = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const refused = async (token: string): Promise<string> => {
    try {
      await verifier.verify(token);
    } catch (e) {
      return messageOf(e);
    }
    throw new Error("the token was accepted");
  };
  const es256 = (header: Record<string, unknown>, payload = claims()): string => {
    const input = `${b64(header)}.${b64(payload)}`;
    const sig = sign("sha256", Buffer.from(input), { key: issuer.es.privateKey, dsaEncoding: "ieee-p1363" });
    return `${input}.${sig.toString("base64url")}`;
  };

  it("returns the subject and the scopes from `scope` or `scp`, and accepts an audience list", async () => {
    expect(await verifier.verify(signJwt(issuer, "ES256"))).to.deep.equal({
      subject: `${ISSUER}#analyst-7`,
      scopes: ["openid", "tradetrace:read"],
    });
    const scp = claims({ scope: undefined, scp: ["tradetrace:read"], aud: ["other", AUDIENCE] });
    expect((await verifier.verify(signJwt(issuer, "RS256", scp))).scopes).to.deep.equal(["tradetrace:read"]);
  });

  it("refuses critical headers, unknown key ids, a DER signature for ES256 and garbage", async () => {
    expect(await refused(es256({ alg: "ES256", kid: "es-1", crit: ["exp"] }))).to.match(/critical header/);
    expect(await refused(es256({ alg: "ES256", kid: "nope" }))).to.match(/no ES256 key with kid nope/);
    expect(await refused(es256({ alg: "RS256", kid: "es-1" }))).to.match(/no RS256 key with kid es-1/);
    const input = `${b64({ alg: "ES256", kid: "es-1" })}.${b64(claims())}`;
    const der = sign("sha256", Buffer.from(input), issuer.es.privateKey).toString("base64url");
    expect(await refused(`${input}.${der}`)).to.match(/bad signature/);
    expect(await refused("a.b")).to.match(/not a signed JWT/);
    expect(await refused(`${b64([1])}.${b64(claims())}.AA`)).to.match(/header is not a JSON object/);
  });

  it("refuses RSA keys under 2048 bits", async () => {
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const file = path.join(dir, "weak.json");
    fs.writeFileSync(file, JSON.stringify({ keys: [{ ...weak.publicKey.export({ format: "jwk" }), kid: "w" }] }));
    const v = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: file });
    const input = `${b64({ alg: "RS256", kid: "w" })}.${b64(claims())}`;
    const token = `${input}.${sign("sha256", Buffer.from(input), weak.privateKey).toString("base64url")}`;
    let message = "";
    await v.verify(token).catch((e: Error) => (message = e.message));
    expect(message).to.match(/under 2048 bits/);
  });

  it("takes a JWKS URL only over https, or http on loopback", () => {
    expect(() => jwksSource("http://issuer.example/jwks")).to.throw(/must use https/);
    expect(jwksSource("http://127.0.0.1:9/jwks")).to.be.a("function");
    expect(jwksSource("https://issuer.example/jwks")).to.be.a("function");
  });
});
