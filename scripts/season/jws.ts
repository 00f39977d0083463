/**
 * ES256 (P-256) keys and compact JWS with node:crypto, as a trade platform's VC-JOSE issuer produces them: sample
 * credentials for the tests (test/helpers/jws.ts re-exports them) and the gas benchmark (bench/lib/gas.ts).
 */
import crypto from "node:crypto";
import { ethers } from "ethers";
import { p256Coordinates } from "../../interop/anchor/signed-credential";

/** A P-256 key pair with its public JWK and coordinates. */
export interface P256Key {
  privateKey: crypto.KeyObject;
  publicJwk: JsonWebKey;
  x: string;
  y: string;
}

/** A fresh P-256 key pair. */
export function newP256Key(): P256Key {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const publicJwk = publicKey.export({ format: "jwk" });
  return { privateKey, publicJwk, ...p256Coordinates(publicJwk as { kty: string; crv: string; x: string; y: string }) };
}

const b64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64url");

/** A compact JWS over `payload` (an object is serialised with JSON.stringify), ES256 with header `kid`. */
export function signJws(payload: object | string, key: P256Key, kid: string, header: object = {}): string {
  const protectedHeader = b64url(JSON.stringify({ alg: "ES256", kid, typ: "vc+jwt", ...header }));
  const body = b64url(typeof payload === "string" ? payload : JSON.stringify(payload));
  const signingInput = `${protectedHeader}.${body}`;
  const signature = crypto.sign("sha256", Buffer.from(signingInput), {
    key: key.privateKey,
    dsaEncoding: "ieee-p1363",
  });
  return `${signingInput}.${b64url(signature)}`;
}

/** The DID that the test actor helpers (`makeCredential`) give `address`. */
export function testDidOf(address: string): string {
  return `did:web:${address.slice(2, 10).toLowerCase()}.example.com`;
}

/** A minimal VC 2.0 mill test report payload issued by `issuerDid`. */
export function millTestReportPayload(issuerDid: string, heatNumber = "61316", totalKg = "289600"): object {
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/traceability/v1"],
    id: `urn:uuid:${ethers.hexlify(ethers.randomBytes(16)).slice(2)}`,
    type: ["VerifiableCredential", "MillTestReportCredential"],
    issuer: { type: ["Organization"], id: issuerDid, name: "Tall Steel, Inc" },
    validFrom: "2026-01-06T08:10:00Z",
    credentialSubject: {
      certificateNumber: "202304215088",
      inspections: [{ heatNumber, countryOfMeltAndPour: "US", totalWeight: { value: totalKg, unitCode: "KGM" } }],
    },
  };
}
