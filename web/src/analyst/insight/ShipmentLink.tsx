/** A link to the analyst's shipment page. */
export function ShipmentLink({ id, label }: { id: string; label: string }) {
  return <a href={`#/analyst/shipment/${encodeURIComponent(id)}`}>{label}</a>;
}
