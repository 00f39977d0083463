/**
 * verify.ts's `VerificationLookup` over the query API (the CLI's is over JSON-RPC, chain-lookup.ts): anchors of a
 * content hash from the registries' entities, actors by address, and the issuer's standing for its role from the
 * actor's indexed credential. Field comparison (optional in the interface) is left out: the content hash binds
 * the file, and the subgraph keeps the anchored fields in another shape than the CLI compares.
 */
import type {
  ActorIdentity,
  AnchorStatus,
  AnchoredRecord,
  RegistryName,
  VerificationLookup,
} from "../../../scripts/credentials/verify";
import { issuerRolesOf, kindOfRegistry } from "../../../scripts/credentials/kinds";
import {
  ACTOR_BY_ADDRESS_QUERY,
  ANCHORS_QUERY,
  type ActorAnswer,
  type AnchoredActor,
  type AnchoredRecord as IndexedRecord,
  type AnchorsAnswer,
} from "./anchor-queries";
import { lookup } from "./lookup";

const STATUS: Record<IndexedRecord["status"], AnchorStatus> = {
  ACTIVE: "active",
  REVOKED: "revoked",
  SUPERSEDED: "superseded",
};

/** The role a record's issuer needs to stand behind it, as IActorRegistry.isActive would judge it now. */
export function standingOf(
  registry: RegistryName,
  record: IndexedRecord,
  now: bigint,
): { role: string; active: boolean } {
  const a: AnchoredActor = record.issuer;
  const current =
    !a.suspended &&
    !a.credentialRevoked &&
    a.credentialClearedAt === null &&
    BigInt(a.validFrom) <= now &&
    now <= BigInt(a.validUntil);
  const roles = issuerRolesOf(kindOfRegistry(registry), record.derived === true);
  const held = roles.find((role) => current && a.trustedRoleNames.includes(role));
  return held === undefined ? { role: roles.join(" or "), active: false } : { role: held, active: true };
}

/** The lookup at chain time `now` (for the issuer's standing). */
export function graphqlLookup(now: bigint): VerificationLookup {
  const anchors = new Map<string, Promise<AnchorsAnswer>>();
  const indexed = new Map<string, IndexedRecord>();
  const answerFor = (hash: string) => {
    const key = hash.toLowerCase();
    if (!anchors.has(key)) anchors.set(key, lookup<AnchorsAnswer>(ANCHORS_QUERY, { hash: key }));
    return anchors.get(key)!;
  };
  return {
    async anchorsOfHash(registry, contentHash) {
      const answer = await answerFor(contentHash);
      const rows = answer[kindOfRegistry(registry).entity];
      return rows.map((r): AnchoredRecord => {
        indexed.set(r.id, r);
        return {
          recordId: r.id,
          issuer: r.issuer.id,
          status: STATUS[r.status],
          successor: r.successor?.id,
          expiresAt: BigInt(r.expiresAt),
        };
      });
    },
    async actorByAddress(address): Promise<ActorIdentity | undefined> {
      const { actor } = await lookup<ActorAnswer>(ACTOR_BY_ADDRESS_QUERY, { id: address.toLowerCase() });
      return actor ? { address: actor.id, did: actor.did, country: actor.country } : undefined;
    },
    async issuerStanding(registry, anchor) {
      const record = indexed.get(anchor.recordId);
      if (!record) return { role: "issuer", active: false };
      return standingOf(registry, record, now);
    },
  };
}
