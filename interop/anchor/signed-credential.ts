/**
 * A compact JWS (VC-JOSE, ES256) → the `SignedCredential` struct the document registries' `anchorSigned` takes,
 * and the hashes the chain computes from it (`signedContentHash`, the key id hash), so that callers and indexers
 * name a signed record exactly as the contract does. See docs/interop-anchoring.md.
 */
import { ethers } from "ethers";

/** `IDocumentLifecycle.SignedCredential` with plain values. */
export interface SignedCredentialStruct {
  /** The protected header, base64url as signed, as hex bytes of its ASCII text. */
  protectedHeader: string;
  /** The payload bytes, hex. */
  payload: string;
  r: string;
  s: string;
  keyIdHash: string;
  recordIndex: number;
  workflowInstance: string;
}

/** The parts of a compact JWS and its decoded header and payload. */
export interface CompactJws {
  protectedHeaderB64: string;
  header: { alg?: unknown; kid?: unknown; [k: string]: unknown };
  payloadBytes: Uint8Array;
  payload: Record<string, unknown>;
  r: string;
  s: string;
}

/** Thrown when a string is not a compact ES256 JWS this module can hand to the chain. */
export class JwsFormatError extends Error {}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Splits and decodes a compact JWS; the signature must be ES256's 64 bytes (r ‖ s). */
export function parseCompactJws(jws: string): CompactJws {
  const parts = jws.trim().split(".");
  if (parts.length !== 3 || !parts.every((part) => B64URL.test(part))) {
    throw new JwsFormatError("not a compact JWS (three base64url parts separated by dots)");
  }
  const [headerB64, payloadB64, signatureB64] = parts;
  const signature = ethers.decodeBase64(toBase64(signatureB64));
  if (signature.length !== 64)
    throw new JwsFormatError(`an ES256 signature has 64 bytes, this one ${signature.length}`);
  const payloadBytes = ethers.decodeBase64(toBase64(payloadB64));
  const header = parseJsonObject(ethers.decodeBase64(toBase64(headerB64)), "protected header");
  if (header.alg !== "ES256") throw new JwsFormatError(`the JWS algorithm is ${String(header.alg)}, not ES256`);
  return {
    protectedHeaderB64: headerB64,
    header,
    payloadBytes,
    payload: parseJsonObject(payloadBytes, "payload"),
    r: ethers.hexlify(signature.slice(0, 32)),
    s: ethers.hexlify(signature.slice(32)),
  };
}

/** keccak256 of a key id (the DID URL of the verification method), as the actor registry keys it. */
export function keyIdHash(keyId: string): string {
  return ethers.id(keyId);
}

/** The `bytes32` a presentation's `workflow.instance` maps to: keccak256 of its UTF-8 text (as the season files). */
export function workflowInstanceId(instance: string | undefined): string {
  return instance === undefined || instance === "" ? ethers.ZeroHash : ethers.id(instance);
}

/** `IDocumentLifecycle.signedContentHash`: sha256(payloadHash ‖ uint32 recordIndex). */
export function signedContentHash(payloadHash: string, recordIndex: number): string {
  return ethers.sha256(ethers.solidityPacked(["bytes32", "uint32"], [payloadHash, recordIndex]));
}

/** The struct `anchorSigned` takes for record `recordIndex` of `jws`, signed with key `keyId`. */
export function signedCredentialStruct(
  jws: CompactJws,
  keyId: string,
  recordIndex: number,
  workflowInstance: string,
): SignedCredentialStruct {
  return {
    protectedHeader: ethers.hexlify(ethers.toUtf8Bytes(jws.protectedHeaderB64)),
    payload: ethers.hexlify(jws.payloadBytes),
    r: jws.r,
    s: jws.s,
    keyIdHash: keyIdHash(keyId),
    recordIndex,
    workflowInstance,
  };
}

/** The x and y coordinates (bytes32 hex) of a P-256 public JWK. */
export function p256Coordinates(jwk: { kty?: string; crv?: string; x?: string; y?: string }): { x: string; y: string } {
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || jwk.x === undefined || jwk.y === undefined) {
    throw new JwsFormatError("not a P-256 public JWK (kty EC, crv P-256, x, y)");
  }
  const coordinate = (value: string): string => {
    const bytes = ethers.decodeBase64(toBase64(value));
    if (bytes.length !== 32) throw new JwsFormatError("a P-256 coordinate has 32 bytes");
    return ethers.hexlify(bytes);
  };
  return { x: coordinate(jwk.x), y: coordinate(jwk.y) };
}

function toBase64(b64url: string): string {
  const padded = b64url.replace(/-/g, "+").replace(/_/g, "/");
  return padded + "=".repeat((4 - (padded.length % 4)) % 4);
}

function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(ethers.toUtf8String(bytes));
  } catch {
    throw new JwsFormatError(`the JWS ${what} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JwsFormatError(`the JWS ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
