/**
 * How long the season's shipments and documents can still be reached by a later event, so that the generator
 * forgets them once nothing can (SeasonState.retire): a shipment while it has events planned, or while a document
 * linked to it can still be revoked (a revocation re-evaluates every shipment linked to the document); a document
 * while it is open for new links (its pool's report), has a revocation planned, or a live shipment links it (that
 * shipment's evaluations read it).
 */
interface DocumentLife {
  /** The open report of its pool: new links (and their planned revocations) can still come. */
  open: boolean;
  /** Revocations planned and not yet run. */
  revokes: number;
  /** The live shipments linked to it. */
  shipments: Set<number>;
}

export class Lifetimes {
  /** Events planned for each live shipment and not yet run. */
  private readonly pending = new Map<number, number>();
  /** The documents each live shipment links. */
  private readonly docsOf = new Map<number, Set<string>>();
  private readonly docs = new Map<string, DocumentLife>();

  constructor(
    /** Forgets shipment `j` and the records only it reaches. */
    private readonly retireShipment: (j: number) => void,
    /** Forgets a document. */
    private readonly retireDocument: (id: string) => void,
  ) {}

  /** Shipment `j` is filed: live until it settles. */
  filed(j: number): void {
    this.pending.set(j, 0);
    this.docsOf.set(j, new Set());
  }

  /** An event of shipment `j` is planned (within the season). */
  planned(j: number): void {
    this.pending.set(j, this.pending.get(j)! + 1);
  }

  /** An event of shipment `j` ran: it may settle. */
  ran(j: number): void {
    this.pending.set(j, this.pending.get(j)! - 1);
    this.settle(j);
  }

  /** A document is created: `open` when it is its pool's report and can get more links. */
  created(id: string, open: boolean): void {
    this.docs.set(id, { open, revokes: 0, shipments: new Set() });
  }

  /** Shipment `j` links document `id`. */
  linked(j: number, id: string): void {
    this.docsOf.get(j)!.add(id);
    this.docs.get(id)!.shipments.add(j);
  }

  /** The pool has moved on from report `id`: no new links. */
  closed(id: string): void {
    this.docs.get(id)!.open = false;
    this.unpinned(id);
  }

  revocationPlanned(id: string): void {
    this.docs.get(id)!.revokes++;
  }

  revocationRan(id: string): void {
    this.docs.get(id)!.revokes--;
    this.unpinned(id);
  }

  private pinned(d: DocumentLife): boolean {
    return d.open || d.revokes > 0;
  }

  /** Retires shipment `j` when nothing can reach it any more, and then its documents that nothing else holds. */
  private settle(j: number): void {
    const docs = this.docsOf.get(j)!;
    if (this.pending.get(j)! > 0) return;
    for (const id of docs) if (this.pinned(this.docs.get(id)!)) return;
    this.pending.delete(j);
    this.docsOf.delete(j);
    this.retireShipment(j);
    for (const id of docs) {
      const d = this.docs.get(id)!;
      d.shipments.delete(j);
      if (d.shipments.size === 0) this.retireDoc(id);
    }
  }

  private unpinned(id: string): void {
    const d = this.docs.get(id)!;
    if (this.pinned(d)) return;
    for (const j of [...d.shipments]) this.settle(j);
    if (d.shipments.size === 0) this.retireDoc(id);
  }

  private retireDoc(id: string): void {
    const d = this.docs.get(id);
    if (!d || this.pinned(d)) return;
    this.docs.delete(id);
    this.retireDocument(id);
  }
}
