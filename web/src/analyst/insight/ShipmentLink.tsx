/** A link to the analyst's shipment page. */
import { shipmentHref } from "../search";

export function ShipmentLink({ id, label }: { id: string; label: string }) {
  return <a href={shipmentHref(id)}>{label}</a>;
}
