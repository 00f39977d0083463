/**
 * The CLI's `VerificationLookup` (verify.ts) over JSON-RPC: anchors from the registries' issue events and
 * `recordOf`, actors from the ActorRegistry, field comparison with the issue event, the issuer's standing by role.
 */
import type { Contract } from "ethers";
import type { IActorRegistry } from "../../typechain-types";
import { ROLE, actorFacts } from "./actors";
import { anchoredDocument, fieldDifferences } from "./anchored";
import { issuerRolesOf, kindOfRegistry } from "./kinds";
import { recordIdOf } from "../lib/record-id";
import type { AnchorStatus, AnchoredRecord, RegistryName, VerificationLookup } from "./verify";

export interface ChainContext {
  registry: Contract;
  name: RegistryName;
  actors: IActorRegistry;
  /** The blocks the registry's and the actor registry's events start at. */
  fromBlock: number;
  actorsFrom: number;
}

interface OnChainRecord {
  issuer: string;
  expiresAt: bigint;
  status: bigint;
  successor: string;
}

const ANCHOR_STATUS: Record<string, AnchorStatus> = { "1": "active", "2": "revoked", "3": "superseded" };

/** The issue events of the registry, all of them or those of one content hash (an indexed topic). */
export async function issuedEvents(context: ChainContext, contentHash?: string): Promise<Record<string, unknown>[]> {
  const { registry, name, fromBlock } = context;
  const event = kindOfRegistry(name).issuedEvent;
  const logs = await registry.queryFilter(registry.filters[event](null, contentHash ?? null), fromBlock);
  return logs.filter((log) => "args" in log).map((log) => (log as unknown as { args: Record<string, unknown> }).args);
}

/** The record `recordId` as an AnchoredRecord, or undefined when the registry does not hold it. */
async function anchoredRecord(context: ChainContext, recordId: string): Promise<AnchoredRecord | undefined> {
  const onChain = (await context.registry.recordOf(recordId)) as OnChainRecord;
  const status = ANCHOR_STATUS[onChain.status.toString()];
  if (status === undefined) return undefined;
  const successor = status === "superseded" ? onChain.successor : undefined;
  return { recordId, issuer: onChain.issuer, status, successor, expiresAt: onChain.expiresAt };
}

/**
 * The issuer's standing: the first of the kind's issuer roles it holds now (only the derived role for a derived
 * record, e.g. PROCESSOR for a product report), or all of them joined by "or" when it holds none.
 */
async function standing(context: ChainContext, anchor: AnchoredRecord): Promise<{ role: string; active: boolean }> {
  const { registry, name, actors } = context;
  const kind = kindOfRegistry(name);
  const derived = kind.derivedIssuerRole !== undefined && ((await registry.isDerived(anchor.recordId)) as boolean);
  const roles = issuerRolesOf(kind, derived);
  for (const role of roles) if (await actors.isActive(anchor.issuer, ROLE[role])) return { role, active: true };
  return { role: roles.join(" or "), active: false };
}

/** The lookup; with `issuerAddress`, only that actor's anchor of a hash is read (no event scan). */
export function chainLookup(context: ChainContext, issuerAddress?: string): VerificationLookup {
  return {
    async anchorsOfHash(_registry, contentHash) {
      const ids =
        issuerAddress !== undefined
          ? [recordIdOf(issuerAddress, contentHash)]
          : (await issuedEvents(context, contentHash)).map((args) => args.recordId as string);
      const anchors = await Promise.all(ids.map((id) => anchoredRecord(context, id)));
      return anchors.filter((anchor): anchor is AnchoredRecord => anchor !== undefined);
    },
    async actorByAddress(address) {
      return actorFacts(context.actors, address, context.actorsFrom);
    },
    async fieldDifferences(name, anchor, record) {
      const anchored = await anchoredDocument(context.registry, name, anchor.recordId, context.fromBlock);
      return anchored === undefined ? ["no issue event found"] : fieldDifferences(name, record, anchored);
    },
    issuerStanding: (_name, anchor) => standing(context, anchor),
  };
}
