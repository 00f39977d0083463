/** Proving and verifying presentations (holder binding with challenge and domain), and every credential inside. */
import { createLdProof, verifyLdProof } from "./ld-proof";
import { credentialsOf, holderIdOf, isObject, presentationShapeErrors } from "./credential-shape";
import { verifyCredential, PROOF_FORMATS, type ProofFormat } from "./credential";
import { decodeVcJwt, proveVpJwt, verifyJwtSignature } from "./vc-jwt";
import { messageOf } from "./errors";
import { ProofError } from "./resolution";
import { ResultBuilder, type VerificationResult } from "./result";
import { didOf, type DidResolver } from "./did-document";
import type { SigningKey } from "./keys";

type JsonObject = Record<string, unknown>;

export interface ProveOptions {
  format: ProofFormat;
  challenge?: string;
  domain?: string;
  created?: string;
}

export interface PresentationExpectations {
  challenge?: string;
  domain?: string;
  now?: Date;
}

/**
 * A linked-data proof covers the presentation's RDF graph, where a VC-JOSE string is no credential (jsonld drops it
 * or refuses it): such credentials travel in a vc-jwt presentation.
 */
function jwtCredentialsInLdPresentation(vp: JsonObject): string | undefined {
  const index = credentialsOf(vp).findIndex((vc) => typeof vc === "string");
  if (index < 0) return undefined;
  return `verifiableCredential[${index}] is a VC-JOSE string, which a linked-data proof cannot cover: use the vc-jwt format`;
}

/** The presentation secured by its holder's key (authentication): a vc-jwt string or a linked-data proof. */
export async function provePresentation(vp: object, key: SigningKey, opts: ProveOptions): Promise<object | string> {
  if (!isObject(vp)) throw new ProofError("a presentation is a JSON object");
  if (!PROOF_FORMATS.includes(opts.format)) throw new ProofError(`unknown proof format ${String(opts.format)}`);
  const shape = presentationShapeErrors(vp);
  if (shape.length > 0) throw new ProofError(`cannot prove: ${shape.join("; ")}`);
  const holder = holderIdOf(vp);
  if (holder !== undefined && holder !== didOf(key.id)) {
    throw new ProofError(`holder ${holder} does not match the key's controller ${didOf(key.id)}`);
  }
  if (opts.format === "vc-jwt") return proveVpJwt(vp, key, opts);
  const jwtInside = jwtCredentialsInLdPresentation(vp);
  if (jwtInside) throw new ProofError(`cannot prove: ${jwtInside}`);
  return createLdProof(vp, key, { ...opts, type: opts.format, proofPurpose: "authentication" });
}

function checkJwtBinding(payload: JsonObject, expected: PresentationExpectations): void {
  if (expected.challenge !== undefined && payload.nonce !== expected.challenge) {
    throw new ProofError(`presentation nonce ${JSON.stringify(payload.nonce)} does not match the expected challenge`);
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (expected.domain !== undefined && !audiences.includes(expected.domain)) {
    throw new ProofError(
      `presentation aud ${JSON.stringify(payload.aud)} does not match the expected domain ${expected.domain}`,
    );
  }
}

/** Checks the holder's proof; returns the presentation object (decoded when it came as a JWT). */
async function verifyHolderProof(
  vp: object | string,
  resolver: DidResolver,
  expected: PresentationExpectations,
  out: ResultBuilder,
): Promise<JsonObject> {
  if (typeof vp === "string") {
    const decoded = decodeVcJwt(vp.trim());
    const holder = holderIdOf(decoded.credential);
    if (!holder) throw new ProofError("the presentation JWT names no holder (iss)");
    checkJwtBinding(decoded.payload, expected);
    out.check("proof");
    await verifyJwtSignature(vp.trim(), decoded, resolver, holder, "authentication");
    return decoded.credential;
  }
  if (!isObject(vp)) throw new ProofError("a presentation is a JSON object or a VC-JOSE compact JWS");
  if (vp.proof === undefined) throw new ProofError("the presentation has no proof");
  const jwtInside = jwtCredentialsInLdPresentation(vp);
  if (jwtInside) throw new ProofError(jwtInside);
  out.check("proof");
  await verifyLdProof(vp, resolver, { proofPurpose: "authentication", controller: holderIdOf(vp), ...expected });
  return vp;
}

/**
 * Verifies a presentation's holder proof (challenge and domain when expected) and each credential inside;
 * a credential's failure is reported as `verifiableCredential[i]: <reason>`. Never throws.
 */
export async function verifyPresentation(
  vp: object | string,
  resolver: DidResolver,
  opts: PresentationExpectations = {},
): Promise<VerificationResult> {
  const out = new ResultBuilder();
  let presentation: JsonObject | undefined;
  try {
    presentation = await verifyHolderProof(vp, resolver, opts, out);
  } catch (error) {
    out.error(messageOf(error));
    if (isObject(vp)) presentation = vp;
  }
  if (!presentation) return out.result();
  presentationShapeErrors(presentation).forEach((message) => out.error(message));
  const credentials = credentialsOf(presentation);
  if (credentials.length > 0) out.check("credentials");
  const results = await Promise.all(
    credentials.map((vc) => verifyCredential(vc as object | string, resolver, { now: opts.now })),
  );
  results.forEach((result, index) => out.include(`verifiableCredential[${index}]`, result));
  return out.result();
}
