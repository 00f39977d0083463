/**
 * Throughput of the proofs library (interop/proofs) in one process, without HTTP: VC-JOSE (ES256) credentials
 * verified per second, linked-data (Ed25519Signature2018, URDNA2015 over the bundled credentials + traceability
 * contexts) credentials verified per second, and presentations of 50 credentials verified per second (the holder's
 * proof and each credential: vc-jwt, and linked-data). Prints the figures with the machine and writes
 * bench/results/interop-proofs.json. The node's HTTP throughput is `npm run bench:interop`.
 *
 * Run: npm run bench:proofs [-- --jose 300 --ld 300 --presentations 20 --ld-presentations 10]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { format } from "prettier";
import {
  generateSigningKey,
  issueCredential,
  localDidResolver,
  provePresentation,
  verifyCredential,
  verifyPresentation,
  type GeneratedKey,
  type VerificationResult,
} from "../interop/proofs";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
}

const CONTEXT = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"];
const resolver = localDidResolver();

/** A mill test report shaped 1.1 credential (the contexts the suites use) by `issuer`, number `i`. */
function credential(issuer: string, i: number): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    type: ["VerifiableCredential", "MillTestReportCredential"],
    issuer: { id: issuer, type: ["Organization"], name: `Mill ${i % 10}` },
    issuanceDate: "2024-06-01T00:00:00Z",
    credentialSubject: {
      type: ["MillTestReport"],
      certificateNumber: `MTR-${i}`,
      product: { type: ["SteelProduct"], name: "Line pipe", heatNumber: `H${i}` },
    },
  };
}

function presentation(holder: string, credentials: unknown[]): Record<string, unknown> {
  return { "@context": [CONTEXT[0]], type: ["VerifiablePresentation"], holder, verifiableCredential: credentials };
}

/** Verifies every item once (after one warm-up) and returns items per second. */
async function perSecond<T>(items: T[], verify: (item: T) => Promise<VerificationResult>): Promise<number> {
  const warm = await verify(items[0]);
  if (!warm.verified) throw new Error(`bench input does not verify: ${warm.errors.join("; ")}`);
  const started = performance.now();
  for (const item of items) {
    const result = await verify(item);
    if (!result.verified) throw new Error(`bench input does not verify: ${result.errors.join("; ")}`);
  }
  return Number(((items.length * 1000) / (performance.now() - started)).toPrecision(3));
}

async function issueMany(keys: GeneratedKey[], count: number, format: "vc-jwt" | "Ed25519Signature2018") {
  const out: (object | string)[] = [];
  for (let i = 0; i < count; i++) {
    const { did, key } = keys[i % keys.length];
    out.push(await issueCredential(credential(did, i), key, { format }));
  }
  return out;
}

async function main(): Promise<void> {
  const params = {
    jose: flag("jose", 300),
    ld: flag("ld", 300),
    presentations: flag("presentations", 20),
    ldPresentations: flag("ld-presentations", 10),
    credentialsPerPresentation: 50,
  };
  const p256 = await Promise.all(Array.from({ length: 10 }, () => generateSigningKey("P-256")));
  const ed25519 = await Promise.all(Array.from({ length: 10 }, () => generateSigningKey("Ed25519")));
  const holder = await generateSigningKey("P-256");
  const holderEd = await generateSigningKey("Ed25519");

  const jose = await issueMany(p256, params.jose, "vc-jwt");
  const ld = await issueMany(ed25519, params.ld, "Ed25519Signature2018");
  const joseVps = await Promise.all(
    Array.from({ length: params.presentations }, async (_, i) =>
      provePresentation(presentation(holder.did, jose.slice(0, 50)), holder.key, {
        format: "vc-jwt",
        challenge: `c${i}`,
      }),
    ),
  );
  const ldForVp = await issueMany(ed25519, 50, "Ed25519Signature2018");
  const ldVps = await Promise.all(
    Array.from({ length: params.ldPresentations }, async (_, i) =>
      provePresentation(presentation(holderEd.did, ldForVp), holderEd.key, {
        format: "Ed25519Signature2018",
        challenge: `c${i}`,
      }),
    ),
  );

  const loadBefore = os.loadavg()[0];
  const result = {
    machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, node: process.version },
    loadAverage1m: { before: Math.round(loadBefore * 100) / 100, after: 0 },
    params,
    joseCredentialsVerifiedPerSecond: await perSecond(jose, (vc) => verifyCredential(vc, resolver)),
    ldCredentialsVerifiedPerSecond: await perSecond(ld, (vc) => verifyCredential(vc, resolver)),
    josePresentationsOf50VerifiedPerSecond: await perSecond(joseVps, (vp) => verifyPresentation(vp, resolver)),
    ldPresentationsOf50VerifiedPerSecond: await perSecond(ldVps, (vp) => verifyPresentation(vp, resolver)),
  };
  result.loadAverage1m.after = Math.round(os.loadavg()[0] * 100) / 100;
  const dir = path.join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "interop-proofs.json"), await format(JSON.stringify(result), { parser: "json" }));
  console.log(
    `VC-JOSE (ES256) credentials verified: ${result.joseCredentialsVerifiedPerSecond}/s (${params.jose})\n` +
      `LD (Ed25519Signature2018) credentials verified: ${result.ldCredentialsVerifiedPerSecond}/s (${params.ld})\n` +
      `presentations of 50 VC-JOSE credentials verified: ${result.josePresentationsOf50VerifiedPerSecond}/s (${params.presentations})\n` +
      `presentations of 50 LD credentials verified: ${result.ldPresentationsOf50VerifiedPerSecond}/s (${params.ldPresentations})\n` +
      `machine: ${result.machine.cpu}, ${result.machine.cores} cores, node ${result.machine.node}; ` +
      `load average ${result.loadAverage1m.before} → ${result.loadAverage1m.after}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
