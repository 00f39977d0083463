/**
 * A processor derives a product (slab, coil, pipe) from input mill test reports, consuming kilograms of each;
 * the product's record is anchored with a content hash of what the form declares (RFC 8785, the CLI's jcs), and
 * inherits its inputs' countries of melt and pour on chain. Signed in the wallet (EIP-712 DeriveProduct).
 */
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { countryBytes2 } from "../../../scripts/credentials/anchor";
import { DERIVE_TYPES, MTR_DOMAIN } from "../../../scripts/credentials/eip712";
import { contentHash } from "../../../scripts/credentials/jcs";
import { packChemistryPpm, packMechanics } from "../../../scripts/credentials/steelCodec";
import { recordIdOf } from "../../../scripts/lib/record-id";
import type { AppConfig } from "../lib/config";
import { clients } from "../lib/wallet";
import { AccountBar } from "./AccountBar";
import { useWalletForm } from "./wallet-form";
import { actorOf, whyNot } from "./actor";
import { parseKg, parseCountry, requireRecordId } from "./fields";
import { domainOf, nonceAndDeadline, receiptHash, signAndSubmit, type SubmitPath } from "./submit";
import { SubmitChoice } from "./SubmitChoice";

interface InputLine {
  recordId: string;
  kg: string;
}

interface ProductForm {
  certificateNumber: string;
  heatNumber: string;
  productStandard: string;
  grade: string;
  countryOfMeltAndPour: string;
  countryOfManufacture: string;
  totalKg: string;
  inputs: InputLine[];
}

const EMPTY: ProductForm = {
  certificateNumber: "",
  heatNumber: "",
  productStandard: "API 5L",
  grade: "X52",
  countryOfMeltAndPour: "",
  countryOfManufacture: "",
  totalKg: "",
  inputs: [{ recordId: "", kg: "" }],
};

export function DeriveProduct(): JSX.Element {
  const { config, error, busy, submitWith } = useWalletForm();
  const [form, setForm] = useState<ProductForm>(EMPTY);
  const [path, setPath] = useState<SubmitPath>("wallet");
  const set = (patch: Partial<ProductForm>): void => setForm({ ...form, ...patch });
  const setInput = (i: number, patch: Partial<InputLine>): void =>
    set({ inputs: form.inputs.map((line, j) => (j === i ? { ...line, ...patch } : line)) });

  const submit = (e: FormEvent): Promise<void> =>
    submitWith(e, (config, account) => derive(config, account, form, path));

  const text = (key: keyof Omit<ProductForm, "inputs">, label: string, hint?: string): JSX.Element => (
    <>
      <label htmlFor={`derive-${key}`}>{label}</label>
      <input
        id={`derive-${key}`}
        value={form[key]}
        placeholder={hint}
        onChange={(e) => set({ [key]: e.target.value })}
        required
      />
    </>
  );

  return (
    <section className="narrow">
      <h1>Derive a product</h1>
      <AccountBar />
      <form onSubmit={(e) => void submit(e)}>
        {text("certificateNumber", "Product certificate number")}
        {text("heatNumber", "Product identifier (coil, slab or pipe number)")}
        {text("productStandard", "Product standard")}
        {text("grade", "Grade")}
        {text("countryOfMeltAndPour", "Country of melt and pour (as the inputs declare)", "e.g. KR")}
        {text("countryOfManufacture", "Country of manufacture", "e.g. KR")}
        {text("totalKg", "Product weight (kg)")}
        <fieldset>
          <legend>Inputs (mill test reports consumed)</legend>
          {form.inputs.map((line, i) => (
            <div key={i} className="input-line">
              <label htmlFor={`input-${i}-id`}>Input {i + 1} record id</label>
              <input
                id={`input-${i}-id`}
                value={line.recordId}
                placeholder="0x… (64 hex digits)"
                onChange={(e) => setInput(i, { recordId: e.target.value })}
                required
              />
              <label htmlFor={`input-${i}-kg`}>Input {i + 1} kilograms consumed</label>
              <input
                id={`input-${i}-kg`}
                value={line.kg}
                inputMode="numeric"
                onChange={(e) => setInput(i, { kg: e.target.value })}
                required
              />
            </div>
          ))}
          <button type="button" onClick={() => set({ inputs: [...form.inputs, { recordId: "", kg: "" }] })}>
            Add an input
          </button>
        </fieldset>
        <SubmitChoice path={path} onChange={setPath} relayer={config?.relayer === true} />
        <button type="submit" disabled={busy || !config}>
          {busy ? "Waiting for your wallet…" : "Sign and derive"}
        </button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="submit-error">
          {error}
        </p>
      )}
    </section>
  );
}

async function derive(config: AppConfig, account: Address, form: ProductForm, path: SubmitPath): Promise<string> {
  const inputs = form.inputs.map((line, i) => ({
    recordId: requireRecordId(line.recordId, `input ${i + 1}`),
    kg: parseKg(line.kg, `input ${i + 1} kilograms`),
  }));
  const declared = {
    certificateNumber: form.certificateNumber.trim(),
    heatNumber: form.heatNumber.trim(),
    productStandard: form.productStandard.trim(),
    grade: form.grade.trim(),
    countryOfMeltAndPour: parseCountry(form.countryOfMeltAndPour, "country of melt and pour"),
    countryOfManufacture: parseCountry(form.countryOfManufacture, "country of manufacture"),
    totalKg: parseKg(form.totalKg, "product weight"),
  };
  const now = Number((await clients(config).reader.getBlock({ blockTag: "latest" })).timestamp);
  const refusal = whyNot(await actorOf(account), account, ["PROCESSOR"], now);
  if (refusal) throw new Error(refusal);
  // The product's content hash covers what the processor declares, inputs included (JCS, as for credentials).
  const hash = contentHash({
    ...declared,
    totalKg: declared.totalKg.toString(),
    inputs: inputs.map((i) => ({ recordId: i.recordId, kg: i.kg.toString() })),
  });
  const product = {
    contentHash: hash,
    ...declared,
    countryOfMeltAndPour: countryBytes2(declared.countryOfMeltAndPour),
    countryOfManufacture: countryBytes2(declared.countryOfManufacture),
    chemistry: packChemistryPpm({}),
    mechanics: packMechanics({}),
    expiresAt: 0n,
    uri: "",
  };
  const { nonce, deadline } = await nonceAndDeadline(config, "millTestReportRegistry", account);
  const tx = await signAndSubmit(
    config,
    account,
    {
      domain: domainOf(config, "millTestReportRegistry", MTR_DOMAIN),
      types: DERIVE_TYPES,
      primaryType: "DeriveProduct",
      message: { product, inputs, nonce, deadline },
    },
    { registry: "millTestReportRegistry", functionName: "deriveBySig", args: [product, inputs] },
    deadline,
    path,
  );
  return receiptHash(tx, "mtr", [recordIdOf(account, hash)]);
}
