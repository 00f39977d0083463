/**
 * The receipt of a submission: the transaction as mined (through the wallet's node), then each record as the
 * index shows it, polled until it appears.
 */
import { useEffect, useState } from "react";
import type { Hash, TransactionReceipt } from "viem";
import { formatKg, shortHex } from "../lib/format";
import { gql } from "../lib/graphql";
import { waitForReceipt, walletError } from "../lib/wallet";
import { useAccount } from "./account";
import { messageOf } from "../../../lib/errors";

const KINDS: Record<string, { entity: string; fields: string; label: string }> = {
  mtr: {
    entity: "millTestReports",
    fields: "id certificateNumber heatNumber totalKg status",
    label: "mill test report",
  },
  coo: { entity: "certificateOfOrigins", fields: "id certificateNumber countryOfOrigin status", label: "certificate" },
  shipment: { entity: "shipments", fields: "id billOfLading status lineCount totalDeclaredKg", label: "shipment" },
};

type Indexed = Record<string, string | number | null>;

/** Polls the index every second for up to two minutes until every id is there. */
function useIndexed(kind: string, ids: string[]): { rows: Indexed[]; error: string | null } {
  const [rows, setRows] = useState<Indexed[]>([]);
  const [error, setError] = useState<string | null>(null);
  const key = ids.join(",");
  useEffect(() => {
    const spec = KINDS[kind];
    const wanted = key.split(",").filter(Boolean);
    if (!spec || wanted.length === 0) return;
    let stopped = false;
    const started = Date.now();
    const poll = async (): Promise<void> => {
      try {
        const data = await gql<Record<string, Indexed[]>>(
          `query Indexed($ids: [Bytes!]!) { ${spec.entity}(where: { id_in: $ids }) { ${spec.fields} } }`,
          { ids: wanted },
        );
        if (stopped) return;
        setRows(data[spec.entity]);
        if (data[spec.entity].length >= wanted.length) return;
      } catch (e) {
        if (!stopped) setError(messageOf(e));
      }
      if (Date.now() - started > 120_000) {
        setError("not indexed after two minutes: is the indexer running?");
        return;
      }
      setTimeout(() => void (stopped || poll()), 1000);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [kind, key]);
  return { rows, error };
}

export function Receipt(params: Record<string, string>): JSX.Element {
  const { config } = useAccount();
  const tx = params.tx as Hash;
  const ids = (params.ids ?? "").split(",").filter(Boolean);
  const kind = params.kind ?? "";
  const [receipt, setReceipt] = useState<TransactionReceipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!config) return;
    waitForReceipt(config, tx).then(setReceipt, (e: unknown) => setError(walletError(e).message));
  }, [config, tx]);
  const indexed = useIndexed(receipt?.status === "success" ? kind : "", ids);
  const label = KINDS[kind]?.label ?? "record";
  const allIn = ids.length > 0 && indexed.rows.length >= ids.length;

  return (
    <section>
      <h1>Receipt</h1>
      <dl className="facts">
        <dt>Transaction</dt>
        <dd>
          <code>{tx}</code>
        </dd>
        <dt>Status</dt>
        <dd data-testid="tx-status">
          {receipt === null ? "waiting to be mined…" : receipt.status === "success" ? "mined" : "reverted"}
        </dd>
        {receipt && (
          <>
            <dt>Block</dt>
            <dd>{String(receipt.blockNumber)}</dd>
            <dt>Sent by</dt>
            <dd>
              <code>{receipt.from}</code>
            </dd>
            <dt>Gas used</dt>
            <dd>{String(receipt.gasUsed)}</dd>
          </>
        )}
      </dl>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {receipt?.status === "success" && ids.length > 0 && (
        <>
          <h2>In the index</h2>
          <p role="status" data-testid="indexed-status">
            {allIn
              ? `Indexed: ${ids.length} ${label}${ids.length > 1 ? "s" : ""}.`
              : `Waiting for the indexer (${indexed.rows.length} of ${ids.length})…`}
          </p>
          <ul>
            {indexed.rows.map((row) => (
              <li key={String(row.id)} data-testid="indexed-record">
                <code title={String(row.id)}>{shortHex(String(row.id))}</code>{" "}
                {row.certificateNumber ?? row.billOfLading}
                {row.heatNumber ? ` · heat ${row.heatNumber}` : ""}
                {row.totalKg ? ` · ${formatKg(String(row.totalKg))}` : ""} · {String(row.status)}
              </li>
            ))}
          </ul>
          {indexed.error && (
            <p className="error" role="alert">
              {indexed.error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
