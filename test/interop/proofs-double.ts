/**
 * A stand-in for the proofs library (its own branch tests the cryptography) so that the node's own rules —
 * storage, 409/replace, workflows, anchoring, status — are tested on their own. Its "signature" is a SHA-256 over
 * the content and the key id: any change of a signed field makes verification fail, as with a real proof.
 */
import { createHash } from "node:crypto";
import type { DidResolver, ProofSuite, SigningKey, VerificationResult } from "../../interop/server/proofs";

function digest(value: object, keyId: string): string {
  const { proof: _proof, ...rest } = value as Record<string, unknown>;
  return createHash("sha256").update(JSON.stringify(rest)).update(keyId).digest("base64url");
}

function sign(value: object, key: SigningKey, format: string, extra: object = {}, created?: string): object {
  return {
    ...value,
    proof: {
      type: format,
      created: created ?? new Date().toISOString(),
      verificationMethod: key.id,
      proofPurpose: "assertionMethod",
      jws: digest(value, key.id),
      ...extra,
    },
  };
}

async function check(value: object, resolver: DidResolver): Promise<VerificationResult> {
  const proof = (value as { proof?: { verificationMethod?: string; jws?: string } }).proof;
  const errors: string[] = [];
  const did = proof?.verificationMethod?.split("#")[0] ?? "";
  if ((await resolver.resolve(did)) === undefined) errors.push(`${did} did not resolve`);
  if (proof?.jws !== digest(value, proof?.verificationMethod ?? "")) errors.push("signature does not match");
  return { verified: errors.length === 0, errors, warnings: [], checks: ["proof"] };
}

export const proofsDouble: ProofSuite = {
  resolveDidKey: (did) => ({ id: did }),
  resolveDidJwk: (did) => ({ id: did }),
  issueCredential: (credential, key, opts) => Promise.resolve(sign(credential, key, opts.format, {}, opts.created)),
  verifyCredential: (vc, resolver) => check(vc as object, resolver),
  provePresentation: (vp, key, opts) =>
    Promise.resolve(sign(vp, key, opts.format, { challenge: opts.challenge, domain: opts.domain })),
  async verifyPresentation(vp, resolver) {
    const own = await check(vp as object, resolver);
    const inner = (vp as { verifiableCredential?: object[] }).verifiableCredential ?? [];
    for (const vc of inner) own.errors.push(...(await check(vc, resolver)).errors);
    return { ...own, verified: own.errors.length === 0 };
  },
  decodeVcJwt: () => {
    throw new Error("no VC-JOSE in the double");
  },
};
