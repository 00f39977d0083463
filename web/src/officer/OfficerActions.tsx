/**
 * CBP officer actions on a shipment, signed and sent from the officer's wallet (an account with CBP_ROLE on the
 * ShipmentRegistry): place or lift a hold, request information, release. Each call is simulated before the
 * wallet is asked, so a refused one (a release while a hold stands) shows the registry's reason in words and
 * sends nothing. The analyst's shipment page mounts this.
 */
import { useState, type FormEvent } from "react";
import { keccak256, stringToHex, toHex, zeroHash, type Hex } from "viem";
import { REASON_CODES } from "../../../scripts/lib/vocabulary";
import { gql } from "../lib/graphql";
import { waitForReceipt, walletError } from "../lib/wallet";
import { connectWallet, useAccount } from "../supplier/account";
import { sendCall } from "../supplier/submit";

const ACTIONS = [
  { fn: "placeHold", label: "Place a hold", reason: "ADCVD" },
  { fn: "liftHold", label: "Lift a hold", reason: "ADCVD" },
  { fn: "requestInformation", label: "Request information (CF-28)", reason: "CF28" },
  { fn: "release", label: "Release", reason: "CLEARED" },
] as const;

type ActionName = (typeof ACTIONS)[number]["fn"];

/** Resolves once the index has reached `block` (so that the page's reload shows the action), or after a minute. */
async function indexedUpTo(block: bigint): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const data = await gql<{ _meta: { block: { number: number } } }>("{ _meta { block { number } } }").catch(
      () => null,
    );
    if (data && BigInt(data._meta.block.number) >= block) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function OfficerActions({ shipmentId, onDone }: { shipmentId: string; onDone: () => void }): JSX.Element {
  const { config, account, busy: connecting } = useAccount();
  const [action, setAction] = useState<ActionName>("placeHold");
  const [reason, setReason] = useState<string>("ADCVD");
  const [note, setNote] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!config || !account) return;
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      // On chain the reason is keccak256 of its word and the note only its hash (the note stays with CBP).
      const reasonCode = keccak256(toHex(reason));
      const noteHash: Hex = note.trim() === "" ? zeroHash : keccak256(stringToHex(note.trim()));
      const tx = await sendCall(config, account, "shipmentRegistry", action, [shipmentId, reasonCode, noteHash]);
      setStatus("Sent; waiting for the block…");
      const receipt = await waitForReceipt(config, tx);
      if (receipt.status !== "success") throw new Error(`the transaction ${tx} reverted`);
      setStatus(`${ACTIONS.find((a) => a.fn === action)?.label ?? action}: done in block ${receipt.blockNumber}.`);
      await indexedUpTo(receipt.blockNumber);
      onDone();
    } catch (err) {
      setStatus(null);
      setError(walletError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="officer-actions" aria-labelledby="officer-actions-title">
      <h2 id="officer-actions-title">CBP actions</h2>
      {account === null ? (
        <p>
          Actions are signed in the officer&apos;s wallet.{" "}
          <button type="button" onClick={() => void connectWallet()} disabled={connecting}>
            Connect wallet
          </button>
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <label htmlFor="officer-action">Action</label>
          <select
            id="officer-action"
            value={action}
            onChange={(e) => {
              const next = ACTIONS.find((a) => a.fn === e.target.value) ?? ACTIONS[0];
              setAction(next.fn);
              setReason(next.reason);
            }}
          >
            {ACTIONS.map((a) => (
              <option key={a.fn} value={a.fn}>
                {a.label}
              </option>
            ))}
          </select>
          <label htmlFor="officer-reason">Reason</label>
          <select id="officer-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            {REASON_CODES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <label htmlFor="officer-note">Note (kept by CBP; only its hash goes on chain)</label>
          <input id="officer-note" value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="submit" disabled={busy || !config}>
            {busy ? "Waiting for your wallet…" : "Sign and send"}
          </button>
        </form>
      )}
      {status && (
        <p role="status" data-testid="officer-status">
          {status}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="officer-error">
          {error}
        </p>
      )}
    </section>
  );
}
