/**
 * An importer (or its authorised customs broker) files a shipment — parties, lines, route, bill of lading — signed
 * in the wallet (EIP-712 FileShipment) and sent from the wallet or the relayer; then links documents to it: a mill
 * test report to a line with the kilograms it covers, or a certificate of origin (sent from the wallet: the
 * registry takes these from the party itself).
 */
import { useState, type FormEvent } from "react";
import { encodeAbiParameters, keccak256, stringToHex, zeroHash, type Address, type Hex } from "viem";
import { FILE_SHIPMENT_TYPES, SHIPMENT_DOMAIN } from "../../../scripts/lib/shipment-eip712";
import type { AppConfig } from "../lib/config";
import { clients } from "../lib/wallet";
import { AccountBar } from "./AccountBar";
import { useWalletForm } from "./wallet-form";
import { actorOf, whyNot } from "./actor";
import {
  countryCode,
  parseCents,
  parseCountry,
  parseHts,
  parseKg,
  parseLocode,
  requireAddress,
  requireRecordId,
} from "./fields";
import { domainOf, nonceAndDeadline, receiptHash, sendCall, signAndSubmit, type SubmitPath } from "./submit";
import { SubmitChoice } from "./SubmitChoice";

interface LineForm {
  hts: string;
  kg: string;
  value: string;
  origin: string;
}

interface FilingForm {
  reference: string;
  importer: string;
  exporter: string;
  manufacturer: string;
  carrier: string;
  exportCountry: string;
  transshipment: string;
  portOfLading: string;
  portOfEntry: string;
  arrival: string;
  billOfLading: string;
  entryNumber: string;
  lines: LineForm[];
}

const EMPTY: FilingForm = {
  reference: "",
  importer: "",
  exporter: "",
  manufacturer: "",
  carrier: "",
  exportCountry: "",
  transshipment: "",
  portOfLading: "",
  portOfEntry: "",
  arrival: "",
  billOfLading: "",
  entryNumber: "",
  lines: [{ hts: "", kg: "", value: "", origin: "" }],
};

const FIELDS: [keyof Omit<FilingForm, "lines" | "transshipment">, string, string?][] = [
  ["reference", "Your filing reference", "e.g. PO-2026-118"],
  ["importer", "Importer address (yours, or your client's if you are its broker)", "0x…"],
  ["exporter", "Exporter address", "0x…"],
  ["manufacturer", "Manufacturer address", "0x…"],
  ["carrier", "Carrier address", "0x…"],
  ["exportCountry", "Country of export", "e.g. KR"],
  ["portOfLading", "Port of lading (UN/LOCODE)", "e.g. KRPUS"],
  ["portOfEntry", "U.S. port of entry (UN/LOCODE)", "e.g. USHOU"],
  ["arrival", "Estimated arrival (date)"],
  ["billOfLading", "Bill of lading"],
  ["entryNumber", "Entry number"],
];

export function FileShipment(): JSX.Element {
  const { config, error, busy, submitWith } = useWalletForm();
  const [form, setForm] = useState<FilingForm>(EMPTY);
  const [path, setPath] = useState<SubmitPath>("wallet");
  const set = (patch: Partial<FilingForm>): void => setForm({ ...form, ...patch });
  const setLine = (i: number, patch: Partial<LineForm>): void =>
    set({ lines: form.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) });

  const submit = (e: FormEvent): Promise<void> =>
    submitWith(e, (config, account) => fileShipment(config, account, form, path));

  return (
    <section className="narrow">
      <h1>File a shipment</h1>
      <AccountBar />
      <form onSubmit={(e) => void submit(e)} aria-label="Shipment filing">
        {FIELDS.map(([key, label, hint]) => (
          <div key={key}>
            <label htmlFor={`filing-${key}`}>{label}</label>
            <input
              id={`filing-${key}`}
              type={key === "arrival" ? "date" : "text"}
              value={form[key]}
              placeholder={hint}
              onChange={(e) => set({ [key]: e.target.value })}
              required
            />
          </div>
        ))}
        <label htmlFor="filing-transshipment">Transshipment countries (comma-separated, may be empty)</label>
        <input
          id="filing-transshipment"
          value={form.transshipment}
          onChange={(e) => set({ transshipment: e.target.value })}
        />
        <fieldset>
          <legend>Lines</legend>
          {form.lines.map((line, i) => (
            <div key={i} className="input-line">
              {(
                [
                  ["hts", "HTS number", "7304.19.1020"],
                  ["kg", "Declared kilograms", ""],
                  ["value", "Declared value (USD)", "125000.00"],
                  ["origin", "Country of origin", "KR"],
                ] as [keyof LineForm, string, string][]
              ).map(([key, label, hint]) => (
                <div key={key}>
                  <label htmlFor={`line-${i}-${key}`}>
                    Line {i + 1} {label.toLowerCase()}
                  </label>
                  <input
                    id={`line-${i}-${key}`}
                    value={line[key]}
                    placeholder={hint}
                    onChange={(e) => setLine(i, { [key]: e.target.value })}
                    required
                  />
                </div>
              ))}
            </div>
          ))}
          <button type="button" onClick={() => set({ lines: [...form.lines, { ...EMPTY.lines[0] }] })}>
            Add a line
          </button>
        </fieldset>
        <SubmitChoice path={path} onChange={setPath} relayer={config?.relayer === true} />
        <button type="submit" disabled={busy || !config}>
          {busy ? "Waiting for your wallet…" : "Sign and file"}
        </button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="submit-error">
          {error}
        </p>
      )}
      <LinkDocuments />
    </section>
  );
}

/** keccak256(abi.encode(importer, filingReference)), as ShipmentRegistry.shipmentIdOf. */
export function shipmentIdOf(importer: Address, filingReference: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [importer, filingReference]));
}

async function fileShipment(config: AppConfig, account: Address, form: FilingForm, path: SubmitPath): Promise<string> {
  if (form.reference.trim() === "") throw new Error("give your filing reference");
  const filingReference = keccak256(stringToHex(form.reference.trim()));
  const importer = requireAddress(form.importer, "the importer");
  const arrival = Date.parse(`${form.arrival}T00:00:00Z`);
  if (!Number.isFinite(arrival)) throw new Error("the estimated arrival must be a date");
  const filing = {
    parties: {
      importer,
      exporter: requireAddress(form.exporter, "the exporter"),
      manufacturer: requireAddress(form.manufacturer, "the manufacturer"),
      carrier: requireAddress(form.carrier, "the carrier"),
    },
    lines: form.lines.map((l, i) => ({
      hts: parseHts(l.hts, `line ${i + 1} HTS number`),
      declaredKg: parseKg(l.kg, `line ${i + 1} kilograms`),
      declaredValueCents: parseCents(l.value, `line ${i + 1} value`),
      originCountry: countryCode(parseCountry(l.origin, `line ${i + 1} country of origin`)),
    })),
    exportCountry: countryCode(parseCountry(form.exportCountry, "the country of export")),
    transshipmentCountries: form.transshipment
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => countryCode(parseCountry(c, "a transshipment country"))),
    portOfLading: parseLocode(form.portOfLading, "the port of lading"),
    portOfEntry: parseLocode(form.portOfEntry, "the port of entry"),
    estimatedArrival: BigInt(arrival / 1000),
    billOfLading: form.billOfLading.trim(),
    entryNumber: form.entryNumber.trim(),
    workflowInstanceId: zeroHash,
  };
  if (filing.billOfLading === "") throw new Error("the bill of lading is required");
  const now = Number((await clients(config).reader.getBlock({ blockTag: "latest" })).timestamp);
  const roles = importer === account ? ["IMPORTER"] : ["CUSTOMS_BROKER"];
  const refusal = whyNot(await actorOf(account), account, roles, now);
  if (refusal) throw new Error(refusal);
  const { nonce, deadline } = await nonceAndDeadline(config, "shipmentRegistry", account);
  const tx = await signAndSubmit(
    config,
    account,
    {
      domain: domainOf(config, "shipmentRegistry", SHIPMENT_DOMAIN),
      types: FILE_SHIPMENT_TYPES,
      primaryType: "FileShipment",
      message: { filingReference, filing, filer: account, nonce, deadline },
    },
    { registry: "shipmentRegistry", functionName: "fileShipmentBySig", args: [filingReference, filing] },
    deadline,
    path,
  );
  return receiptHash(tx, "shipment", [shipmentIdOf(importer, filingReference)]);
}

/** The link form's fields, as typed. */
interface LinkForm {
  shipmentId: string;
  recordId: string;
  kind: string;
  line: string;
  kg: string;
}

/** Links a document to a filed shipment, from the party's own wallet. */
function LinkDocuments(): JSX.Element {
  const { config, error, busy, submitWith } = useWalletForm();
  const [link, setLink] = useState<LinkForm>({ shipmentId: "", recordId: "", kind: "mtr", line: "1", kg: "" });

  const submit = (e: FormEvent): Promise<void> =>
    submitWith(e, (config, account) => linkDocument(config, account, link));

  return (
    <section aria-labelledby="link-title">
      <h2 id="link-title">Link a document to a shipment</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="link-shipment">Shipment id</label>
        <input
          id="link-shipment"
          value={link.shipmentId}
          onChange={(e) => setLink({ ...link, shipmentId: e.target.value })}
          required
        />
        <label htmlFor="link-kind">Document</label>
        <select id="link-kind" value={link.kind} onChange={(e) => setLink({ ...link, kind: e.target.value })}>
          <option value="mtr">Mill test report (to a line, with kilograms)</option>
          <option value="coo">Certificate of origin</option>
        </select>
        <label htmlFor="link-record">Document record id</label>
        <input
          id="link-record"
          value={link.recordId}
          onChange={(e) => setLink({ ...link, recordId: e.target.value })}
          required
        />
        {link.kind === "mtr" && (
          <>
            <label htmlFor="link-line">Line number</label>
            <input id="link-line" value={link.line} onChange={(e) => setLink({ ...link, line: e.target.value })} />
            <label htmlFor="link-kg">Kilograms of the line it covers</label>
            <input id="link-kg" value={link.kg} onChange={(e) => setLink({ ...link, kg: e.target.value })} />
          </>
        )}
        <button type="submit" disabled={busy || !config}>
          {busy ? "Waiting for your wallet…" : "Link from my wallet"}
        </button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="link-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** Links one document to a shipment line (a report, with its kilograms) or to the shipment (a certificate). */
async function linkDocument(config: AppConfig, account: Address, link: LinkForm): Promise<string> {
  const shipmentId = requireRecordId(link.shipmentId, "the shipment id");
  const recordId = requireRecordId(link.recordId, "the document's record id");
  let tx: Hex;
  if (link.kind === "mtr") {
    const line = Number(link.line);
    if (!Number.isInteger(line) || line < 1) throw new Error("the line must be a line number (1, 2, …)");
    const kg = parseKg(link.kg, "the kilograms of the line this report covers");
    tx = await sendCall(config, account, "shipmentRegistry", "linkMillTestReport", [
      shipmentId,
      recordId,
      BigInt(line - 1),
      kg,
    ]);
  } else {
    tx = await sendCall(config, account, "shipmentRegistry", "linkCertificateOfOrigin", [shipmentId, recordId]);
  }
  return receiptHash(tx, "shipment", [shipmentId]);
}
