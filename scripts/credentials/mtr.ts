/**
 * MillTestReportCredential -> TradeTrace mill test report records (the fields MillTestReportRegistry takes).
 *
 * One record per inspection: an MTR credential lists inspections (one heat, product and test each), and the
 * registry's mass balance works per heat, so each inspection becomes its own record. Record ids follow
 * `recordHash` (fields.ts): a one-inspection credential is anchored by its own content hash; with several
 * inspections, record i is anchored by the hash of {"credentialHash": <credential hash>, "recordIndex": i}.
 *
 * Units (DESIGN.md): chemistry in ppm of mass (the credential gives percent: wt% x 10^4), strengths in
 * 0.01 MPa, elongation in 0.01 %, weights in kg, dimensions in micrometres, dates in unix seconds, countries
 * ISO 3166-1 alpha-2. All conversions are exact, rounding half up once (units.ts).
 */
import { normaliseCountry } from "./countries";
import { CredentialError, pathForMessage } from "./errors";
import { issuerFields, recordHash, requireDid, requireRecordKg, type IssuerFields } from "./fields";
import { contentHash } from "./jcs";
import type { SchemaSet } from "./schemas";
import { convertMeasured, parseDecimal, percentTo, type Measured } from "./units";
import { defaultSchemas } from "./vocab";

/** The credential type this module maps. */
export const MTR_TYPE = "MillTestReportCredential";

/** Chemistry keys of the schema's ChemicalComposition, with the symbol TradeTrace uses for each. */
export const CHEMISTRY_KEYS = {
  c: "C",
  mn: "Mn",
  p: "P",
  s: "S",
  si: "Si",
  al: "Al",
  cu: "Cu",
  ni: "Ni",
  cr: "Cr",
  mo: "Mo",
  sn: "Sn",
  nbCb: "Nb",
  v: "V",
  ti: "Ti",
  b: "B",
  n: "N",
  ca: "Ca",
  pb: "Pb",
  ce: "CE",
} as const;

/** An element symbol, or "CE" (carbon equivalent, a weighted index given in percent like the elements). */
export type ChemistrySymbol = (typeof CHEMISTRY_KEYS)[keyof typeof CHEMISTRY_KEYS];

/** The record fields that come from the credential as a whole. */
export interface MillTestReportCredentialFields extends IssuerFields {
  /** SHA-256 of the credential's RFC 8785 canonical JSON. */
  credentialHash: string;
  /** The credential's `id` (e.g. a urn:uuid). */
  credentialId: string;
  /** How many inspections (and so records) the credential has. */
  inspectionCount: number;
  certificateNumber: string;
  /** The inspection certificate type, e.g. "EN 10204.3.1". */
  certification: string;
  purchaseOrderNumber: string;
  /** The customer's DID if it has one, its name, and its country (ISO 3166-1 alpha-2). */
  customer: { did: string | null; name: string; country: string };
  productStandard: string;
  productGrade: string;
  productDescription: string;
}

/** The record fields that come from one inspection. */
export interface MillTestReportInspectionFields {
  productIdentifier: string;
  heatNumber: string;
  testNumber: string | null;
  meltPractice: string | null;
  /** ISO 3166-1 alpha-2. */
  countryOfMeltAndPour: string;
  countryOfManufacture: string;
  /** Mass fractions in ppm (wt% x 10^4), for the keys present in the credential; "CE" is the carbon equivalent. */
  chemistryPpm: Partial<Record<ChemistrySymbol, bigint>>;
  /** 0.01 MPa, or null when the credential does not give it. */
  yieldStrength: bigint | null;
  tensileStrength: bigint | null;
  /** 0.01 %, or null. */
  elongation: bigint | null;
  /** Kilograms this record certifies (positive, fits uint96). */
  totalWeightKg: bigint;
  pieces: number | null;
  /** Product dimensions in micrometres, where given. */
  dimensionsUm: { length: bigint | null; width: bigint | null; thickness: bigint | null; diameter: bigint | null };
  /** Informational remarks: non-Rec 20 unit symbols read as Rec 20 units, implausible but accepted values. */
  notes: string[];
}

/** One mill test report record, ready for the registry. */
export interface MillTestReportRecord extends MillTestReportCredentialFields, MillTestReportInspectionFields {
  /** The record id (see `recordHash`): equals `credentialHash` when the credential has one inspection. */
  contentHash: string;
  /** Index of the inspection this record maps. */
  inspectionIndex: number;
}

interface Organization {
  id?: string;
  name?: string;
  location?: { address?: { addressCountry?: string } };
}

interface Inspection {
  productIdentifier: string;
  productDimensions: Partial<Record<"length" | "width" | "thickness" | "diameter", Measured>>;
  pieces?: number;
  perUnitWeight?: Measured;
  totalWeight?: Measured;
  countryOfManufacture: string;
  countryOfMeltAndPour: string;
  meltPractice?: string;
  heatNumber: string;
  testNumber?: string;
  chemicalComposition: Partial<Record<keyof typeof CHEMISTRY_KEYS, number>>;
  mechanicalProperties: Partial<Record<"tensile" | "yield" | "elongation", Measured>>;
}

/** The parts of a (schema-valid) MillTestReportCredential that the mapping reads. */
export interface MillTestReportCredential {
  id: string;
  type: string[];
  issuer: Organization & { id: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    certificateNumber: string;
    certification: string;
    purchaseOrderNumber: string;
    customer: Organization & { name: string; location: { address: { addressCountry: string } } };
    productSpecification: { standard: string; grade: string; productDescription: string };
    inspections: Inspection[];
  };
}

/**
 * Validates `credential` as a MillTestReportCredential and maps each inspection to a record.
 * Throws `CredentialError` for any bad input.
 */
export function mapMillTestReport(credential: unknown, schemas: SchemaSet = defaultSchemas()): MillTestReportRecord[] {
  const vc = schemas.validate<MillTestReportCredential>(credential, MTR_TYPE).credential;
  const credentialHash = contentHash(vc);
  const subject = vc.credentialSubject;
  const count = subject.inspections.length;
  const customerDid = subject.customer.id;
  const shared: MillTestReportCredentialFields = {
    credentialHash,
    credentialId: vc.id,
    inspectionCount: count,
    ...issuerFields(vc),
    certificateNumber: subject.certificateNumber,
    certification: subject.certification,
    purchaseOrderNumber: subject.purchaseOrderNumber,
    customer: {
      did: customerDid === undefined ? null : requireDid(customerDid, "/credentialSubject/customer/id"),
      name: subject.customer.name,
      country: normaliseCountry(
        subject.customer.location.address.addressCountry,
        "/credentialSubject/customer/location/address/addressCountry",
      ),
    },
    productStandard: subject.productSpecification.standard,
    productGrade: subject.productSpecification.grade,
    productDescription: subject.productSpecification.productDescription,
  };
  return subject.inspections.map((inspection, index) => ({
    contentHash: recordHash(credentialHash, index, count),
    inspectionIndex: index,
    ...shared,
    ...mapInspection(inspection, `/credentialSubject/inspections/${index}`),
  }));
}

function mapInspection(inspection: Inspection, path: string): MillTestReportInspectionFields {
  const notes: string[] = [];
  const noted = <T extends { value: bigint; note?: string }>(converted: T): bigint => {
    if (converted.note !== undefined) notes.push(converted.note);
    return converted.value;
  };
  const measured = (m: Measured | undefined, target: Parameters<typeof convertMeasured>[1], at: string) =>
    m === undefined ? null : noted(convertMeasured(m, target, at));

  const chemistryPpm: Partial<Record<ChemistrySymbol, bigint>> = {};
  for (const [key, symbol] of Object.entries(CHEMISTRY_KEYS) as [keyof typeof CHEMISTRY_KEYS, ChemistrySymbol][]) {
    const value = inspection.chemicalComposition[key];
    if (value === undefined) continue;
    const at = `${path}/chemicalComposition/${key}`;
    const ppm = percentTo(value, "ppm", at);
    if (ppm < 0n || ppm > 1_000_000n) {
      throw new CredentialError(`chemistry ${value} % at ${pathForMessage(at)} is outside 0..100 %`, at);
    }
    chemistryPpm[symbol] = ppm;
  }

  const mech = inspection.mechanicalProperties;
  const mechPath = `${path}/mechanicalProperties`;
  const yieldStrength = measured(mech.yield, "centiMegapascal", `${mechPath}/yield`);
  const tensileStrength = measured(mech.tensile, "centiMegapascal", `${mechPath}/tensile`);
  const elongation = measured(mech.elongation, "hundredthPercent", `${mechPath}/elongation`);
  for (const [value, name] of [
    [yieldStrength, "yield"],
    [tensileStrength, "tensile"],
    [elongation, "elongation"],
  ] as const) {
    if (value !== null && value < 0n) {
      throw new CredentialError(`negative ${name} at ${mechPath}/${name}/value`, `${mechPath}/${name}/value`);
    }
  }
  if (yieldStrength !== null && tensileStrength !== null && yieldStrength > tensileStrength) {
    // Physically impossible (yield never exceeds ultimate tensile strength), but it is what the mill signed.
    notes.push(`yield strength exceeds tensile strength at ${mechPath}`);
  }

  const dims = inspection.productDimensions;
  const dimPath = `${path}/productDimensions`;
  return {
    productIdentifier: inspection.productIdentifier,
    heatNumber: inspection.heatNumber,
    testNumber: inspection.testNumber ?? null,
    meltPractice: inspection.meltPractice ?? null,
    countryOfMeltAndPour: normaliseCountry(inspection.countryOfMeltAndPour, `${path}/countryOfMeltAndPour`),
    countryOfManufacture: normaliseCountry(inspection.countryOfManufacture, `${path}/countryOfManufacture`),
    chemistryPpm,
    yieldStrength,
    tensileStrength,
    elongation,
    totalWeightKg: totalWeight(inspection, path, notes),
    pieces: inspection.pieces ?? null,
    dimensionsUm: {
      length: measured(dims.length, "micrometre", `${dimPath}/length`),
      width: measured(dims.width, "micrometre", `${dimPath}/width`),
      thickness: measured(dims.thickness, "micrometre", `${dimPath}/thickness`),
      diameter: measured(dims.diameter, "micrometre", `${dimPath}/diameter`),
    },
    notes,
  };
}

/**
 * The kilograms an inspection certifies: `totalWeight`, or else `pieces` x `perUnitWeight` (multiplied exactly
 * before the one rounding). A record must certify a positive weight, so having neither is an error. When both
 * are given, `perUnitWeight` is still checked (unit, number) and a difference of more than 2 % of the total
 * (the WEIGHT_MISMATCH tolerance) is noted; it is not an error, since mills weigh totals and compute unit weights.
 */
function totalWeight(inspection: Inspection, path: string, notes: string[]): bigint {
  const noted = (c: { value: bigint; note?: string }): bigint => {
    if (c.note !== undefined) notes.push(c.note);
    return c.value;
  };
  const { pieces, perUnitWeight } = inspection;
  let fromPieces: bigint | null = null;
  if (pieces !== undefined && perUnitWeight !== undefined) {
    const at = `${path}/perUnitWeight`;
    if (!Number.isSafeInteger(pieces) || pieces <= 0) {
      throw new CredentialError(`pieces at ${path}/pieces must be a positive integer`, `${path}/pieces`);
    }
    const { coefficient, exponent } = parseDecimal(perUnitWeight.value, `${at}/value`);
    const product = `${coefficient * BigInt(pieces)}e${exponent}`;
    fromPieces = noted(convertMeasured({ value: product, unitCode: perUnitWeight.unitCode }, "kilogram", at));
  } else if (perUnitWeight !== undefined) {
    noted(convertMeasured(perUnitWeight, "kilogram", `${path}/perUnitWeight`));
  }
  if (inspection.totalWeight !== undefined) {
    const at = `${path}/totalWeight`;
    const total = requireRecordKg(noted(convertMeasured(inspection.totalWeight, "kilogram", at)), `${at}/value`);
    const difference = fromPieces === null ? 0n : fromPieces > total ? fromPieces - total : total - fromPieces;
    if (difference * 50n > total) {
      notes.push(
        `totalWeight ${total} kg at ${at} differs by more than 2 % from pieces x perUnitWeight = ${fromPieces} kg`,
      );
    }
    return total;
  }
  if (fromPieces !== null) return requireRecordKg(fromPieces, `${path}/perUnitWeight/value`);
  throw new CredentialError(
    `no weight at ${path}/totalWeight: give totalWeight, or pieces and perUnitWeight`,
    `${path}/totalWeight`,
  );
}
