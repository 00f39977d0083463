/**
 * The node's storage: one SQLite file (`<dataDir>/node.db`) holding what clients submitted and what the node
 * issued, so that nothing is lost on restart. Every write is one statement or one transaction.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";

export const DB_FILE = "node.db";

export interface StoredCredential {
  id: string;
  issuer: string;
  /** The credential as issued or received: a JSON object, or a VC-JOSE compact JWS. */
  credential: object | string;
  origin: "issued" | "received";
  created: string;
}

export interface StatusEntryRow {
  credentialId: string;
  listId: string;
  index: number;
}

export interface StatusListRow {
  id: string;
  type: "StatusList2021" | "RevocationList2020";
  purpose: string;
  bits: Buffer;
  nextIndex: number;
}

export interface StoredPresentation {
  id: string;
  workflowDefinition?: string;
  workflowInstance?: string;
  presentation: object | string;
  received: string;
  outcome: object;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS credentials (row INTEGER PRIMARY KEY, id TEXT NOT NULL, issuer TEXT NOT NULL,
  body TEXT NOT NULL, origin TEXT NOT NULL, created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS credentials_id ON credentials (id);
CREATE TABLE IF NOT EXISTS status_lists (id TEXT PRIMARY KEY, type TEXT NOT NULL, purpose TEXT NOT NULL,
  bits BLOB NOT NULL, next_index INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS status_entries (credential_id TEXT NOT NULL, list_id TEXT NOT NULL, idx INTEGER NOT NULL,
  PRIMARY KEY (list_id, idx));
CREATE INDEX IF NOT EXISTS status_entries_credential ON status_entries (credential_id);
CREATE TABLE IF NOT EXISTS presentations (id TEXT PRIMARY KEY, workflow_definition TEXT, workflow_instance TEXT,
  body TEXT NOT NULL, received TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS challenges (challenge TEXT PRIMARY KEY, domain TEXT NOT NULL, query TEXT NOT NULL,
  created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS anchors (record_id TEXT PRIMARY KEY, credential_id TEXT NOT NULL, tx_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS directory (did TEXT PRIMARY KEY, document TEXT NOT NULL, added TEXT NOT NULL);
`;

function encode(value: object | string): string {
  return JSON.stringify(value);
}

export class NodeStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, DB_FILE));
    this.db.pragma("journal_mode = WAL");
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  addCredential(c: StoredCredential): void {
    this.db
      .prepare("INSERT INTO credentials (id, issuer, body, origin, created) VALUES (?, ?, ?, ?, ?)")
      .run(c.id, c.issuer, encode(c.credential), c.origin, c.created);
  }

  /** The newest credential stored under `id` (of `origin` when given). */
  credential(id: string, origin?: StoredCredential["origin"]): StoredCredential | undefined {
    const row = this.db
      .prepare(
        "SELECT id, issuer, body, origin, created FROM credentials WHERE id = ? AND origin = coalesce(?, origin) ORDER BY row DESC LIMIT 1",
      )
      .get(id, origin ?? null) as
      { id: string; issuer: string; body: string; origin: StoredCredential["origin"]; created: string } | undefined;
    return row && { ...row, credential: JSON.parse(row.body) as object | string };
  }

  /** Removes every credential stored under `id`; false when there was none. */
  deleteCredential(id: string): boolean {
    return this.db.prepare("DELETE FROM credentials WHERE id = ?").run(id).changes > 0;
  }

  statusList(id: string): StatusListRow | undefined {
    const row = this.db
      .prepare("SELECT id, type, purpose, bits, next_index AS nextIndex FROM status_lists WHERE id = ?")
      .get(id) as StatusListRow | undefined;
    return row;
  }

  createStatusList(list: StatusListRow): void {
    this.db
      .prepare("INSERT OR IGNORE INTO status_lists (id, type, purpose, bits, next_index) VALUES (?, ?, ?, ?, ?)")
      .run(list.id, list.type, list.purpose, list.bits, list.nextIndex);
  }

  /** Takes the next free index of a list for a credential. */
  allocateStatus(listId: string, credentialId: string): number {
    return this.transaction(() => {
      const list = this.statusList(listId);
      if (list === undefined) throw new Error(`no status list ${listId}`);
      if (list.nextIndex >= list.bits.length * 8) throw new Error(`status list ${listId} is full`);
      this.db.prepare("UPDATE status_lists SET next_index = ? WHERE id = ?").run(list.nextIndex + 1, listId);
      this.db
        .prepare("INSERT INTO status_entries (credential_id, list_id, idx) VALUES (?, ?, ?)")
        .run(credentialId, listId, list.nextIndex);
      return list.nextIndex;
    });
  }

  statusEntries(credentialId: string): StatusEntryRow[] {
    return this.db
      .prepare(
        "SELECT credential_id AS credentialId, list_id AS listId, idx AS [index] FROM status_entries WHERE credential_id = ?",
      )
      .all(credentialId) as StatusEntryRow[];
  }

  setStatusBits(listId: string, bits: Buffer): void {
    this.db.prepare("UPDATE status_lists SET bits = ? WHERE id = ?").run(bits, listId);
  }

  presentation(id: string): StoredPresentation | undefined {
    const row = this.db
      .prepare(
        "SELECT id, workflow_definition AS workflowDefinition, workflow_instance AS workflowInstance, body, received, outcome FROM presentations WHERE id = ?",
      )
      .get(id) as
      (Omit<StoredPresentation, "presentation" | "outcome"> & { body: string; outcome: string }) | undefined;
    if (row === undefined) return undefined;
    const { body, outcome, ...rest } = row;
    return {
      ...rest,
      workflowDefinition: rest.workflowDefinition ?? undefined,
      workflowInstance: rest.workflowInstance ?? undefined,
      presentation: JSON.parse(body) as object | string,
      outcome: JSON.parse(outcome) as object,
    };
  }

  /** Stores a presentation; `replace` overwrites one of the same id, otherwise a duplicate id returns false. */
  putPresentation(p: StoredPresentation, replace: boolean): boolean {
    const verb = replace ? "INSERT OR REPLACE" : "INSERT OR IGNORE";
    return (
      this.db
        .prepare(
          `${verb} INTO presentations (id, workflow_definition, workflow_instance, body, received, outcome) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          p.id,
          p.workflowDefinition ?? null,
          p.workflowInstance ?? null,
          encode(p.presentation),
          p.received,
          encode(p.outcome),
        ).changes > 0
    );
  }

  presentationsOf(workflowInstance: string): StoredPresentation[] {
    const ids = this.db
      .prepare("SELECT id FROM presentations WHERE workflow_instance = ? ORDER BY received")
      .all(workflowInstance) as { id: string }[];
    return ids.map(({ id }) => this.presentation(id) as StoredPresentation);
  }

  addChallenge(challenge: string, domain: string, query: unknown): void {
    this.db
      .prepare("INSERT INTO challenges (challenge, domain, query, created) VALUES (?, ?, ?, ?)")
      .run(challenge, domain, JSON.stringify(query ?? null), new Date().toISOString());
  }

  /** Consumes a challenge: it answers one submission only. */
  takeChallenge(challenge: string): { domain: string } | undefined {
    return this.transaction(() => {
      const row = this.db.prepare("SELECT domain FROM challenges WHERE challenge = ?").get(challenge) as
        { domain: string } | undefined;
      if (row !== undefined) this.db.prepare("DELETE FROM challenges WHERE challenge = ?").run(challenge);
      return row;
    });
  }

  addAnchor(recordId: string, credentialId: string, txHash: string): void {
    this.db
      .prepare("INSERT OR REPLACE INTO anchors (record_id, credential_id, tx_hash) VALUES (?, ?, ?)")
      .run(recordId, credentialId, txHash);
  }

  /** The credential anchored as on-chain record `recordId`. */
  anchoredCredential(recordId: string): string | undefined {
    const row = this.db.prepare("SELECT credential_id AS id FROM anchors WHERE record_id = ?").get(recordId) as
      { id: string } | undefined;
    return row?.id;
  }

  /** The on-chain records a credential became. */
  anchorsOf(credentialId: string): string[] {
    const rows = this.db.prepare("SELECT record_id AS id FROM anchors WHERE credential_id = ?").all(credentialId) as {
      id: string;
    }[];
    return rows.map((row) => row.id);
  }

  onboard(did: string, document: object): void {
    this.db
      .prepare("INSERT OR REPLACE INTO directory (did, document, added) VALUES (?, ?, ?)")
      .run(did, JSON.stringify(document), new Date().toISOString());
  }

  directoryEntry(did: string): object | undefined {
    const row = this.db.prepare("SELECT document FROM directory WHERE did = ?").get(did) as
      { document: string } | undefined;
    return row && (JSON.parse(row.document) as object);
  }
}
