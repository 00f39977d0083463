/**
 * Issue a document: drop or pick a W3C Traceability credential (MillTestReportCredential, CertificationOfOrigin,
 * USMCACertificationOfOrigin); it is validated and mapped in the browser by the command-line tool's modules; the
 * preview shows the records to be anchored; the wallet signs them (EIP-712) and they are submitted from the wallet
 * or through the server's relayer. Then the receipt page follows the transaction into the index.
 */
import { useState, type DragEvent, type FormEvent } from "react";
import { getAddress, isAddress, type Address } from "viem";
import type { CertificateOfOriginRecord } from "../../../scripts/credentials/coo";
import type { MappedCredential } from "../../../scripts/credentials/documents";
import { batchTypes, issueTypes } from "../../../scripts/credentials/eip712";
import { kindOfRegistry, type MappedRecord } from "../../../scripts/credentials/kinds";
import type { MillTestReportRecord } from "../../../scripts/credentials/mtr";
import { recordIdOf } from "../../../scripts/lib/record-id";
import type { AppConfig } from "../lib/config";
import { formatHts, formatKg } from "../lib/format";
import { gql } from "../lib/graphql";
import { clients } from "../lib/wallet";
import { AccountBar } from "./AccountBar";
import { useWalletForm } from "./wallet-form";
import { actorOf, whyNot } from "./actor";
import { hundredths, percentOfPpm, readCredentialFile, type Preview } from "./preview";
import { domainOf, nonceAndDeadline, receiptHash, signAndSubmit, type SubmitPath } from "./submit";
import { SubmitChoice } from "./SubmitChoice";

interface Parties {
  exporter: string;
  importer: string;
  exportDate: string;
  uri: string;
}

export function IssueDocument(): JSX.Element {
  const { config, error, setError, busy, submitWith } = useWalletForm();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [parties, setParties] = useState<Parties>({ exporter: "", importer: "", exportDate: "", uri: "" });
  const [path, setPath] = useState<SubmitPath>("wallet");
  const [dragging, setDragging] = useState(false);

  const take = async (file: File | undefined): Promise<void> => {
    setError(null);
    if (file) setPreview(await readCredentialFile(file));
  };
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    void take(e.dataTransfer.files[0]);
  };

  const submit = (e: FormEvent): Promise<void> =>
    submitWith(e, preview?.ok ? (config, account) => issue(config, account, preview.mapped, parties, path) : null);

  return (
    <section>
      <h1>Issue a document</h1>
      <AccountBar />
      <p>
        Drop a W3C Traceability credential — a MillTestReportCredential, a CertificationOfOrigin or a
        USMCACertificationOfOrigin (JSON) — or pick the file. It is checked here, in your browser, by the same code as
        the command-line tool; nothing leaves the page until you sign.
      </p>
      <div
        className={`drop-zone${dragging ? " dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <label htmlFor="credential-file">Credential file (JSON)</label>
        <input
          id="credential-file"
          type="file"
          accept=".json,.jsonld,application/json,application/ld+json"
          onChange={(e) => void take(e.target.files?.[0])}
        />
      </div>
      {preview && !preview.ok && (
        <div className="error" role="alert" data-testid="credential-error">
          <p>
            <strong>{preview.file} cannot be issued.</strong>
          </p>
          {preview.field !== null && (
            <p>
              Field <code>{preview.field}</code>:
            </p>
          )}
          <p>{preview.error}</p>
        </div>
      )}
      {preview?.ok && (
        <form onSubmit={(e) => void submit(e)}>
          <RecordPreview mapped={preview.mapped} file={preview.file} />
          {preview.mapped.registry === "CertificateOfOriginRegistry" && (
            <PartyFields
              parties={parties}
              onChange={setParties}
              needsDate={preview.mapped.records[0].exportDate === null}
            />
          )}
          <label htmlFor="uri">Where the credential can be fetched (optional URI)</label>
          <input
            id="uri"
            value={parties.uri}
            onChange={(e) => setParties({ ...parties, uri: e.target.value })}
            placeholder="ipfs://… or https://…"
          />
          <SubmitChoice path={path} onChange={setPath} relayer={config?.relayer === true} />
          <button type="submit" disabled={busy || !config}>
            {busy ? "Waiting for your wallet…" : "Sign and submit"}
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert" data-testid="submit-error">
          {error}
        </p>
      )}
    </section>
  );
}

function PartyFields(props: { parties: Parties; onChange: (p: Parties) => void; needsDate: boolean }): JSX.Element {
  const { parties, onChange } = props;
  return (
    <fieldset>
      <legend>Parties (on-chain actor addresses)</legend>
      <label htmlFor="exporter">Exporter address</label>
      <input
        id="exporter"
        value={parties.exporter}
        onChange={(e) => onChange({ ...parties, exporter: e.target.value })}
        placeholder="0x…"
        required
      />
      <label htmlFor="importer">Importer address</label>
      <input
        id="importer"
        value={parties.importer}
        onChange={(e) => onChange({ ...parties, importer: e.target.value })}
        placeholder="0x…"
        required
      />
      {props.needsDate && (
        <>
          <label htmlFor="export-date">Export date (the credential gives none)</label>
          <input
            id="export-date"
            type="date"
            value={parties.exportDate}
            onChange={(e) => onChange({ ...parties, exportDate: e.target.value })}
            required
          />
        </>
      )}
    </fieldset>
  );
}

/** What will be anchored, record by record, in the registry's units. */
function RecordPreview({ mapped, file }: { mapped: MappedCredential; file: string }): JSX.Element {
  return (
    <section aria-labelledby="preview-title" data-testid="preview">
      <h2 id="preview-title">
        {mapped.type} from {file}
      </h2>
      <dl className="facts">
        <dt>Issuer</dt>
        <dd>{mapped.records[0].issuerDid}</dd>
        <dt>Credential hash</dt>
        <dd>
          <code>{mapped.credentialHash}</code>
        </dd>
        <dt>Records to anchor</dt>
        <dd>{mapped.records.length}</dd>
      </dl>
      {mapped.registry === "MillTestReportRegistry" ? (
        mapped.records.map((r) => <MillTestReportPreview key={r.contentHash} record={r} />)
      ) : (
        <CertificatePreview record={mapped.records[0]} />
      )}
    </section>
  );
}

function MillTestReportPreview({ record }: { record: MillTestReportRecord }): JSX.Element {
  const chemistry = Object.entries(record.chemistryPpm) as [string, bigint][];
  return (
    <article className="record-preview">
      <h3>
        Heat {record.heatNumber} · {record.productStandard} {record.productGrade}
      </h3>
      <dl className="facts">
        <dt>Certificate</dt>
        <dd>{record.certificateNumber}</dd>
        <dt>Kilograms</dt>
        <dd data-testid="kg">{formatKg(record.totalWeightKg)}</dd>
        <dt>Heat</dt>
        <dd data-testid="heat">{record.heatNumber}</dd>
        <dt>Melted and poured in</dt>
        <dd data-testid="melt-country">{record.countryOfMeltAndPour}</dd>
        <dt>Manufactured in</dt>
        <dd>{record.countryOfManufacture}</dd>
        <dt>Yield / tensile strength</dt>
        <dd>
          {hundredths(record.yieldStrength)} / {hundredths(record.tensileStrength)} MPa
        </dd>
        <dt>Elongation</dt>
        <dd>{hundredths(record.elongation)} %</dd>
      </dl>
      <table>
        <caption>Chemistry of heat {record.heatNumber}</caption>
        <thead>
          <tr>
            <th scope="col">Element</th>
            <th scope="col">Mass fraction</th>
          </tr>
        </thead>
        <tbody>
          {chemistry.map(([symbol, ppm]) => (
            <tr key={symbol}>
              <td>{symbol}</td>
              <td className="num">{percentOfPpm(ppm)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {record.notes.length > 0 && (
        <ul className="notes">
          {record.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </article>
  );
}

function CertificatePreview({ record }: { record: CertificateOfOriginRecord }): JSX.Element {
  return (
    <article className="record-preview">
      <h3>Certificate {record.certificateNumber}</h3>
      <dl className="facts">
        <dt>Country of origin</dt>
        <dd>{record.countryOfOrigin ?? "several (the registry takes one per certificate)"}</dd>
        <dt>Exporters named</dt>
        <dd>{record.exporters.map((p) => p.name ?? p.id).join(", ") || "none"}</dd>
        <dt>Importers named</dt>
        <dd>{record.importers.map((p) => p.name ?? p.id).join(", ") || "none"}</dd>
      </dl>
      <table>
        <caption>HTS lines</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">HTS</th>
            <th scope="col">Origin</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {record.htsLines.map((l) => (
            <tr key={l.index}>
              <td className="num">{l.index + 1}</td>
              <td data-testid="hts">{formatHts(l.hts)}</td>
              <td>{l.countryOfOrigin}</td>
              <td>{l.description ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

function requireParty(text: string, what: string): Address {
  if (!isAddress(text.trim(), { strict: false })) throw new Error(`the ${what} must be an actor address (0x…)`);
  return getAddress(text.trim());
}

/** The checks the command-line tool makes before signing, then the signature and the submission. */
async function issue(
  config: AppConfig,
  account: Address,
  mapped: MappedCredential,
  parties: Parties,
  path: SubmitPath,
): Promise<string> {
  const now = Number((await clients(config).reader.getBlock({ blockTag: "latest" })).timestamp);
  const kind = kindOfRegistry(mapped.registry);
  const first = mapped.records[0];
  const roles = [...kind.issuerRoles];
  const actor = await actorOf(account);
  const refusal = whyNot(actor, account, roles, now);
  if (refusal) throw new Error(refusal);
  if (actor!.did !== first.issuerDid) {
    throw new Error(
      `the credential's issuer ${first.issuerDid} is not your account (${actor!.did}): sign with the issuer's wallet`,
    );
  }
  if (first.issuerCountry !== null && first.issuerCountry !== actor!.country) {
    throw new Error(
      `the issuer's address country ${first.issuerCountry} is not your registered country ${actor!.country}`,
    );
  }
  if (first.expiresAt !== 0n && first.expiresAt <= BigInt(now)) throw new Error("the credential has expired");
  const registry = kind.configKey;
  const addresses = () => ({
    exporter: requireParty(parties.exporter, "exporter"),
    importer: requireParty(parties.importer, "importer"),
    exportDate: parties.exportDate || undefined,
  });
  const structs = (mapped.records as MappedRecord[]).map((r) =>
    kind.toStruct(r, { uri: parties.uri, parties: addresses }),
  );
  const ids = structs.map((s) => recordIdOf(account, s.contentHash));
  await requireNotAnchored(kind.entity, ids);
  const { eip712: types, domain } = kind;
  const batch = structs.length > 1;
  const payload = batch ? structs : structs[0];
  const { nonce, deadline } = await nonceAndDeadline(config, registry, account);
  const typedTypes = batch ? batchTypes(types) : issueTypes(types);
  const tx = await signAndSubmit(
    config,
    account,
    {
      domain: domainOf(config, registry, domain),
      types: typedTypes,
      primaryType: `Issue${types.struct}${batch ? "Batch" : ""}`,
      message: { [batch ? types.batch : types.single]: payload, nonce, deadline },
    },
    { registry, functionName: batch ? "issueBatchBySig" : "issueBySig", args: [payload] },
    deadline,
    path,
  );
  return receiptHash(tx, kind.word, ids);
}

/** Refuses records this account has anchored already (the index knows them). */
async function requireNotAnchored(entity: string, ids: string[]): Promise<void> {
  const data = await gql<Record<string, { id: string }[]>>(
    `query Anchored($ids: [Bytes!]!) { ${entity}(where: { id_in: $ids }) { id } }`,
    { ids },
  );
  const anchored = data[entity];
  if (anchored.length > 0) throw new Error(`record ${anchored[0].id} is already anchored: nothing to issue`);
}
