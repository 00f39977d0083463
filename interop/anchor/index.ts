/**
 * Turning verified VC-JOSE credentials into their issuers' on-chain records, and reporting revocations
 * (docs/interop-anchoring.md). The node calls `anchorVerifiedCredential` for each MillTestReportCredential or
 * CertificationOfOrigin a presentation brings, after it verified it; the relayer account submits `anchorSigned`,
 * and the chain itself checks the issuer's signature and DID, so the relayer can only hand over what was signed.
 *
 * `configureAnchor` wires the module-level functions to a chain (the node does it at start-up); `createAnchor`
 * gives an independent instance (tests).
 */
import { Contract, NonceManager, sha256, type Provider, type Signer } from "ethers";
import {
  ActorRegistry__factory,
  CertificateOfOriginRegistry__factory,
  MillTestReportRegistry__factory,
} from "../../typechain-types";
import { mapCredential, type MappedCredential } from "../../scripts/credentials/documents";
import { toCertificateOfOrigin, toMillTestReport } from "../../scripts/credentials/anchor";
import { describeChainError } from "../../scripts/lib/chain-errors";
import { ProofError, decodeVcJwt } from "../proofs";
import { CredentialError } from "../../scripts/credentials/errors";
import {
  JwsFormatError,
  parseCompactJws,
  signedContentHash,
  signedCredentialStruct,
  workflowInstanceId,
  type CompactJws,
} from "./signed-credential";

/** Where and as whom the node anchors. */
export interface AnchorChain {
  provider: Provider;
  /** The node's relayer account: pays the gas, signs nothing of the issuer's. */
  relayer: Signer;
  addresses: { actorRegistry: string; millTestReportRegistry: string; certificateOfOriginRegistry: string };
  /** The `uri` recorded with a record (default: the credential's id). */
  uriOf?: (credentialId: string) => string;
  /** How often `watchRevocations` polls, in ms (default 2000). */
  pollIntervalMs?: number;
}

/** What `anchorVerifiedCredential` answers. */
export type AnchorResult = { recordId: string; txHash: string; recordIds: string[] } | { refused: string };

/** The anchoring functions bound to one chain. */
export interface Anchor {
  anchorVerifiedCredential(vc: object | string, ctx: { workflowInstance?: string }): Promise<AnchorResult>;
  watchRevocations(onRevoked: (recordId: string) => void, opts?: { fromBlock?: number }): () => void;
}

/** A record ready for `anchorSigned`: the struct the registry takes and the signed-credential struct. */
interface Submission {
  registry: Contract;
  args: [unknown, unknown];
}

/** Anchoring bound to `chain`. Submissions are serialised so the relayer's nonces never collide. */
export function createAnchor(chain: AnchorChain): Anchor {
  const relayer = new NonceManager(chain.relayer);
  const actors = ActorRegistry__factory.connect(chain.addresses.actorRegistry, chain.provider);
  const mtr = new Contract(chain.addresses.millTestReportRegistry, MillTestReportRegistry__factory.abi, relayer);
  const coo = new Contract(
    chain.addresses.certificateOfOriginRegistry,
    CertificateOfOriginRegistry__factory.abi,
    relayer,
  );
  const uriOf = chain.uriOf ?? ((id: string) => id);
  let queue: Promise<unknown> = Promise.resolve();

  /** The address of the onboarded actor whose current DID is `did` (from `ActorOnboarded`, latest wins). */
  async function actorByDid(did: string): Promise<string | undefined> {
    const events = await actors.queryFilter(actors.filters.ActorOnboarded());
    let found: string | undefined;
    for (const event of events) if (event.args.did === did) found = event.args.subject;
    return found;
  }

  async function submissions(jws: CompactJws, mapped: MappedCredential, workflow: string): Promise<Submission[]> {
    const keyId = keyIdOf(jws, mapped.records[0].issuerDid);
    const payloadHash = sha256(jws.payloadBytes);
    const signed = (index: number) => signedCredentialStruct(jws, keyId, index, workflow);
    if (mapped.registry === "MillTestReportRegistry") {
      return mapped.records.map((record, index) => ({
        registry: mtr,
        args: [
          signed(index),
          {
            ...toMillTestReport(record, uriOf(record.credentialId)),
            contentHash: signedContentHash(payloadHash, index),
          },
        ],
      }));
    }
    const [record] = mapped.records;
    const party = async (did: string | null | undefined, role: string): Promise<string> => {
      const address = did ? await actorByDid(did) : undefined;
      if (address === undefined)
        throw new CredentialError(`the ${role} ${did ?? "(no DID)"} is not an onboarded actor`);
      return address;
    };
    const certificate = toCertificateOfOrigin(record, {
      exporter: await party(record.exporters[0]?.did, "exporter"),
      importer: await party(record.importers[0]?.did, "importer"),
      uri: uriOf(record.credentialId),
    });
    return [{ registry: coo, args: [signed(0), { ...certificate, contentHash: signedContentHash(payloadHash, 0) }] }];
  }

  async function anchor(vc: object | string, ctx: { workflowInstance?: string }): Promise<AnchorResult> {
    let planned: Submission[];
    let issuerDid: string;
    try {
      const compact = compactJwsOf(vc);
      const jws = parseCompactJws(compact);
      const credential = asDataModel2(decodeVcJwt(compact).credential);
      const mapped = mapCredential(credential);
      issuerDid = mapped.records[0].issuerDid;
      planned = await submissions(jws, mapped, workflowInstanceId(ctx.workflowInstance));
    } catch (error) {
      if (error instanceof JwsFormatError || error instanceof CredentialError || error instanceof ProofError) {
        return { refused: error.message };
      }
      throw error;
    }
    try {
      // Every record is checked before any is sent: a credential is anchored whole or not at all.
      const recordIds: string[] = [];
      for (const { registry, args } of planned) recordIds.push(await registry.anchorSigned.staticCall(...args));
      let txHash = "";
      for (const { registry, args } of planned) {
        const tx = await registry.anchorSigned(...args);
        await tx.wait();
        txHash = tx.hash;
      }
      return { recordId: recordIds[0], txHash, recordIds };
    } catch (error) {
      relayer.reset();
      const reason = describeChainError(error);
      // No key under an issuer DID nobody onboarded: say that, rather than only which key is unknown.
      if (reason.startsWith("UnknownAssertionKey") && (await actorByDid(issuerDid)) === undefined) {
        return { refused: `the issuer ${issuerDid} is not an onboarded actor: ${reason}` };
      }
      return { refused: reason };
    }
  }

  return {
    anchorVerifiedCredential(vc, ctx) {
      const run = queue.then(() => anchor(vc, ctx));
      queue = run.catch(() => undefined);
      return run;
    },
    watchRevocations(onRevoked, opts = {}) {
      let next = opts.fromBlock ?? 0;
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const poll = async (): Promise<void> => {
        const head = await chain.provider.getBlockNumber();
        if (head >= next) {
          for (const registry of [mtr, coo]) {
            const events = await registry.queryFilter(registry.filters.RecordRevoked(), next, head);
            for (const event of events) if ("args" in event) onRevoked(String(event.args.recordId));
          }
          next = head + 1;
        }
      };
      const loop = (): void => {
        poll()
          .catch(() => undefined) // a node hiccup: the same blocks are read again at the next poll
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, chain.pollIntervalMs ?? 2000);
          });
      };
      loop();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    },
  };
}

/** The compact JWS of a credential handed over as a JWS string or a VC 2.0 enveloped credential. */
function compactJwsOf(vc: object | string): string {
  if (typeof vc === "string") return vc;
  const id = (vc as { id?: unknown }).id;
  const prefix = /^data:application\/vc\+(?:ld\+json\+)?jwt[;,]/;
  if (typeof id === "string" && prefix.test(id)) return id.slice(id.indexOf(",") + 1);
  throw new JwsFormatError(
    "only VC-JOSE credentials (a compact JWS, ES256) carry a signature the chain can check; this one has none",
  );
}

/** The DID URL of the signing key: the header's `kid`, made absolute under the issuer DID if relative. */
function keyIdOf(jws: CompactJws, issuerDid: string): string {
  const kid = jws.header.kid;
  if (typeof kid !== "string" || kid === "") throw new JwsFormatError("the JWS header names no key (kid)");
  return kid.startsWith("#") ? `${issuerDid}${kid}` : kid;
}

const VC_1_CONTEXT = "https://www.w3.org/2018/credentials/v1";
const VC_2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

/**
 * A VC 1.1 credential (the `vc` claim of a vc-jwt, as the Traceability Interoperability v1.0 report issues them)
 * in the 2.0 terms the credentials tool's mapping reads: the base context, and issuanceDate/expirationDate as
 * validFrom/validUntil. Only the mapping sees this copy; the chain and the subgraph keep the signed payload.
 */
function asDataModel2(credential: Record<string, unknown>): Record<string, unknown> {
  const context = credential["@context"];
  if (!Array.isArray(context) || context[0] !== VC_1_CONTEXT) return credential;
  const { issuanceDate, expirationDate, ...rest } = credential;
  return {
    ...rest,
    "@context": [VC_2_CONTEXT, ...context.slice(1)],
    ...(rest.validFrom === undefined && issuanceDate !== undefined ? { validFrom: issuanceDate } : {}),
    ...(rest.validUntil === undefined && expirationDate !== undefined ? { validUntil: expirationDate } : {}),
  };
}

let configured: Anchor | undefined;

/** Binds the module-level functions to `chain` (the node calls this at start-up). */
export function configureAnchor(chain: AnchorChain): Anchor {
  configured = createAnchor(chain);
  return configured;
}

function requireConfigured(): Anchor {
  if (!configured) throw new Error("interop/anchor: call configureAnchor({ provider, relayer, addresses }) first");
  return configured;
}

/** Anchors a verified VC-JOSE credential for its issuer (see `createAnchor`). */
export function anchorVerifiedCredential(
  vc: object | string,
  ctx: { workflowInstance?: string },
): Promise<AnchorResult> {
  return requireConfigured().anchorVerifiedCredential(vc, ctx);
}

/** Calls `onRevoked(recordId)` for each record revoked on chain; returns a function that stops watching. */
export function watchRevocations(onRevoked: (recordId: string) => void): () => void {
  return requireConfigured().watchRevocations(onRevoked);
}
