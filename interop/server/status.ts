/**
 * Status lists: the node keeps one StatusList2021 list per purpose (revocation, suspension) and one
 * RevocationList2020 list, hands out an index to each credential it issues with `options.credentialStatus`, sets
 * bits on `POST /credentials/status` (and when the chain reports a revocation), and serves each list as a signed
 * status list credential at `<base>/credentials/status/<list>`.
 */
import { decodeList, emptyBitstring, encodeList, getBit, withBit } from "./bitstring";
import type { NodeStore, StatusEntryRow, StatusListRow } from "./store";

export const STATUS_LIST_2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1";
export const REVOCATION_LIST_2020_CONTEXT = "https://w3id.org/vc-revocation-list-2020/v1";

export type EntryType = "StatusList2021Entry" | "RevocationList2020Status";
export const ENTRY_TYPES: readonly EntryType[] = ["StatusList2021Entry", "RevocationList2020Status"];
export const PURPOSES = ["revocation", "suspension"] as const;
/** The list where the chain's revocations of anchored credentials are mirrored. */
export const CHAIN_MIRROR_LIST = "revocation-2021";

const LISTS: Record<string, { type: StatusListRow["type"]; purpose: string; entry: EntryType }> = {
  "revocation-2021": { type: "StatusList2021", purpose: "revocation", entry: "StatusList2021Entry" },
  "suspension-2021": { type: "StatusList2021", purpose: "suspension", entry: "StatusList2021Entry" },
  "revocation-2020": { type: "RevocationList2020", purpose: "revocation", entry: "RevocationList2020Status" },
};

function listIdFor(entry: EntryType, purpose: string): string {
  return entry === "RevocationList2020Status" ? "revocation-2020" : `${purpose}-2021`;
}

export interface StatusEntry {
  id: string;
  type: EntryType;
  [k: string]: unknown;
}

export class StatusLists {
  constructor(
    private readonly store: NodeStore,
    /** `<base>/credentials/status`: the lists' URLs. */
    private readonly prefix: string,
  ) {
    for (const [id, list] of Object.entries(LISTS)) {
      store.createStatusList({ id, type: list.type, purpose: list.purpose, bits: emptyBitstring(), nextIndex: 0 });
    }
  }

  urlOf(listId: string): string {
    return `${this.prefix}/${listId}`;
  }

  /** The list a URL of this node names, if it does. */
  listIdOf(url: string): string | undefined {
    if (!url.startsWith(`${this.prefix}/`)) return undefined;
    const id = url.slice(this.prefix.length + 1);
    return id in LISTS ? id : undefined;
  }

  /** The `credentialStatus` of a new credential: a fresh index in the list of its type and purpose. */
  allocate(credentialId: string, entry: EntryType, purpose: string): StatusEntry {
    const listId = listIdFor(entry, purpose);
    const index = this.store.allocateStatus(listId, credentialId);
    const url = this.urlOf(listId);
    if (entry === "RevocationList2020Status") {
      return { id: `${url}#${index}`, type: entry, revocationListIndex: String(index), revocationListCredential: url };
    }
    return {
      id: `${url}#${index}`,
      type: entry,
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: url,
    };
  }

  /**
   * Sets the status of a credential the node issued with a status entry of `entry` (and `purpose`); false when the
   * credential has no such entry.
   */
  update(credentialId: string, entry: EntryType, purpose: string, value: boolean): boolean {
    const listId = listIdFor(entry, purpose);
    const row = this.store.statusEntries(credentialId).find((e) => e.listId === listId);
    if (row === undefined) return false;
    this.store.transaction(() => {
      const list = this.store.statusList(listId) as StatusListRow;
      this.store.setStatusBits(listId, withBit(list.bits, row.index, value));
    });
    return true;
  }

  /**
   * The node's revocation entry of a credential it anchored (and did not issue): where a revocation on chain is
   * mirrored. A credential keeps the one entry it has; the index is not added to the credential, which the issuer
   * signed: `/credentials/verify` finds it by the credential's id and issuer (credential-status-check.ts).
   */
  mirrorEntry(credentialId: string): StatusEntryRow {
    const existing = this.store.statusEntries(credentialId).find((e) => e.listId === CHAIN_MIRROR_LIST);
    if (existing !== undefined) return existing;
    return {
      credentialId,
      listId: CHAIN_MIRROR_LIST,
      index: this.store.allocateStatus(CHAIN_MIRROR_LIST, credentialId),
    };
  }

  /** Whether the bit of a local list is set. */
  isSet(listId: string, index: number): boolean {
    const list = this.store.statusList(listId);
    if (list === undefined) throw new Error(`no status list ${listId}`);
    return getBit(list.bits, index);
  }

  /** The unsigned status list credential of a list, issued by `issuer`. */
  listCredential(listId: string, issuer: string): object | undefined {
    const list = this.store.statusList(listId);
    if (list === undefined) return undefined;
    const url = this.urlOf(listId);
    const encodedList = encodeList(list.bits);
    if (list.type === "RevocationList2020") {
      return {
        "@context": ["https://www.w3.org/2018/credentials/v1", REVOCATION_LIST_2020_CONTEXT],
        id: url,
        type: ["VerifiableCredential", "RevocationList2020Credential"],
        issuer,
        issuanceDate: new Date().toISOString(),
        credentialSubject: { id: `${url}#list`, type: "RevocationList2020", encodedList },
      };
    }
    return {
      "@context": ["https://www.w3.org/2018/credentials/v1", STATUS_LIST_2021_CONTEXT],
      id: url,
      type: ["VerifiableCredential", "StatusList2021Credential"],
      issuer,
      issuanceDate: new Date().toISOString(),
      credentialSubject: { id: `${url}#list`, type: "StatusList2021", statusPurpose: list.purpose, encodedList },
    };
  }
}

/** The index and list URL a status entry names, whichever of the two vocabularies it uses. */
export function entryLocation(entry: Record<string, unknown>): { url: string; index: number } | undefined {
  const url = entry.statusListCredential ?? entry.revocationListCredential;
  const index = Number(entry.statusListIndex ?? entry.revocationListIndex);
  if (typeof url !== "string" || !Number.isInteger(index) || index < 0) return undefined;
  return { url, index };
}

/** Whether bit `index` of a status list credential's `encodedList` is set. */
export function bitOfListCredential(listCredential: Record<string, unknown>, index: number): boolean {
  const subject = listCredential.credentialSubject as Record<string, unknown> | undefined;
  if (typeof subject?.encodedList !== "string") throw new Error("the status list credential has no encodedList");
  return getBit(decodeList(subject.encodedList), index);
}
