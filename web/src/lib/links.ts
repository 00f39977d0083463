/**
 * Hash links to the analyst's insight pages and the verifier: one home for their paths, so pages link to each
 * other (a shipment line to its lineage, a lineage node to its report) without spelling routes out.
 */
const enc = encodeURIComponent;

/** The lineage of a shipment line (ShipmentLine id), a report (record id) or a certificate / MTR number. */
export function lineageHref(target: { lineId: string } | { reportId: string } | { number: string }): string {
  if ("lineId" in target) return `#/lineage/line/${enc(target.lineId.toLowerCase())}`;
  if ("reportId" in target) return `#/lineage/report/${enc(target.reportId.toLowerCase())}`;
  return `#/lineage/number/${enc(target.number)}`;
}

/** An actor page (address). */
export const actorHref = (address: string): string => `#/actor/${enc(address.toLowerCase())}`;

/** A mill test report page (record id). */
export const mtrHref = (recordId: string): string => `#/mtr/${enc(recordId.toLowerCase())}`;

/** A certificate of origin page (record id). */
export const cooHref = (recordId: string): string => `#/coo/${enc(recordId.toLowerCase())}`;

/** The saved queries page, optionally opened on one query (file name without .graphql). */
export const savedQueryHref = (name?: string): string => (name === undefined ? "#/queries" : `#/queries/${enc(name)}`);

/** A lane page: the lane key of the tonnage aggregations, "<exporter>><importer>><melt country>". */
export const laneHref = (lane: string): string => `#/lane/${enc(lane)}`;
