/**
 * Where the CBP officer's actions (place or lift a hold, request information, release; signed in the officer's
 * wallet) go on the shipment page. The component itself is web/src/officer/OfficerActions.tsx, built by the
 * supplier side with the wallet; this mount point renders it with the shipment id and reloads the page's data
 * when an action is done. The actions bring the wallet (viem) and the ABIs, so they load after the page itself.
 */
import { lazyPage } from "../components/LazyPage";

const OfficerActions = lazyPage(
  () => import("../officer/OfficerActions").then((m) => m.OfficerActions),
  "the officer's actions",
);

export interface OfficerActionsProps {
  shipmentId: string;
  onDone: () => void;
}

export function OfficerActionsMount(props: OfficerActionsProps): JSX.Element {
  return <OfficerActions shipmentId={props.shipmentId} onDone={props.onDone} />;
}
