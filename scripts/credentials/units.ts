/**
 * Measured values to TradeTrace's integer units (DESIGN.md "Units"), exactly.
 *
 * Unit codes are UN/ECE Recommendation 20 common codes (case-sensitive, as the Recommendation writes them).
 * The traceability-vocab examples also use a few symbols that are not Rec 20 codes ("KG", "MPa", "%", "MM");
 * each is accepted as the Rec 20 unit it plainly means, and the conversion carries a note saying so.
 *
 * Arithmetic: the value is read as an exact decimal (coefficient x 10^exponent, bigint), multiplied by the unit's
 * exact rational factor (e.g. pound = 0.45359237 kg, psi = 4.4482216152605 N / 0.00064516 m^2), and rounded
 * once to the target integer, half up (ties go away from zero: 0.5 -> 1, -0.5 -> -1). Nothing passes through a
 * binary float, so results are reproducible everywhere.
 */
import { CredentialError, pathForMessage, quote } from "./errors";

/** The kinds of quantity TradeTrace converts, each with its integer target unit. */
export type Quantity = "mass" | "stress" | "fraction" | "length";

/** An exact rational number. */
interface Ratio {
  num: bigint;
  den: bigint;
}

/** A Rec 20 unit: what it measures and its size in the SI unit of that quantity (kg, Pa, 1, m). */
export interface UnitDefinition {
  code: string;
  name: string;
  quantity: Quantity;
  /** Size of one unit in the SI unit of the quantity, as num/den. */
  si: Ratio;
}

/** The result of a conversion. */
export interface Converted {
  /** The value in the target unit, rounded half up. */
  value: bigint;
  /** The Rec 20 code the input unit was read as. */
  unitCode: string;
  /** Set when the input used a non-Rec 20 symbol that was read as `unitCode`. */
  note?: string;
}

const r = (num: bigint | number, den: bigint | number = 1n): Ratio => ({ num: BigInt(num), den: BigInt(den) });
const TEN = (n: number): bigint => 10n ** BigInt(n);

// Exact definitions: 1 lb = 0.45359237 kg; 1 lbf = 0.45359237 kg x 9.80665 m/s^2 = 4.4482216152605 N;
// 1 in = 0.0254 m, so 1 in^2 = 0.00064516 m^2 and 1 psi = 44482216152605 / (64516 x 10^5) Pa.
const POUND_KG = r(45359237n, TEN(8));
const PSI_PA = r(44482216152605n, 64516n * TEN(5));

const UNITS: readonly UnitDefinition[] = [
  // mass, in kg
  { code: "KGM", name: "kilogram", quantity: "mass", si: r(1) },
  { code: "58", name: "net kilogram", quantity: "mass", si: r(1) },
  { code: "E4", name: "gross kilogram", quantity: "mass", si: r(1) },
  { code: "GRM", name: "gram", quantity: "mass", si: r(1, TEN(3)) },
  { code: "MGM", name: "milligram", quantity: "mass", si: r(1, TEN(6)) },
  { code: "MC", name: "microgram", quantity: "mass", si: r(1, TEN(9)) },
  { code: "TNE", name: "tonne (metric ton)", quantity: "mass", si: r(1000) },
  { code: "2U", name: "megagram", quantity: "mass", si: r(1000) },
  { code: "DTN", name: "decitonne", quantity: "mass", si: r(100) },
  { code: "HKM", name: "hundred kilogram, net mass", quantity: "mass", si: r(100) },
  { code: "KTN", name: "kilotonne", quantity: "mass", si: r(TEN(6)) },
  { code: "LBR", name: "pound", quantity: "mass", si: POUND_KG },
  { code: "ONZ", name: "ounce (avoirdupois)", quantity: "mass", si: r(POUND_KG.num, POUND_KG.den * 16n) },
  {
    code: "CWA",
    name: "hundred pound (cwt) / hundred weight (US)",
    quantity: "mass",
    si: r(POUND_KG.num * 100n, POUND_KG.den),
  },
  { code: "CWI", name: "hundred weight (UK)", quantity: "mass", si: r(POUND_KG.num * 112n, POUND_KG.den) },
  { code: "STN", name: "ton (US) or short ton (UK/US)", quantity: "mass", si: r(POUND_KG.num * 2000n, POUND_KG.den) },
  { code: "LTN", name: "ton (UK) or long ton (US)", quantity: "mass", si: r(POUND_KG.num * 2240n, POUND_KG.den) },
  // stress (strength), in Pa
  { code: "PAL", name: "pascal", quantity: "stress", si: r(1) },
  { code: "C55", name: "newton per square metre", quantity: "stress", si: r(1) },
  { code: "A97", name: "hectopascal", quantity: "stress", si: r(100) },
  { code: "KPA", name: "kilopascal", quantity: "stress", si: r(1000) },
  { code: "E01", name: "newton per square centimetre", quantity: "stress", si: r(TEN(4)) },
  { code: "BAR", name: "bar [unit of pressure]", quantity: "stress", si: r(TEN(5)) },
  { code: "MPA", name: "megapascal", quantity: "stress", si: r(TEN(6)) },
  { code: "C56", name: "newton per square millimetre", quantity: "stress", si: r(TEN(6)) },
  { code: "A89", name: "gigapascal", quantity: "stress", si: r(TEN(9)) },
  { code: "E41", name: "kilogram-force per square millimetre", quantity: "stress", si: r(9806650n) },
  { code: "PS", name: "pound-force per square inch", quantity: "stress", si: PSI_PA },
  { code: "N20", name: "kip per square inch", quantity: "stress", si: r(PSI_PA.num * 1000n, PSI_PA.den) },
  // mass fractions and percentages, as a pure number
  { code: "P1", name: "percent", quantity: "fraction", si: r(1, 100) },
  { code: "60", name: "percent weight", quantity: "fraction", si: r(1, 100) },
  { code: "59", name: "part per million", quantity: "fraction", si: r(1, TEN(6)) },
  { code: "61", name: "part per billion (US)", quantity: "fraction", si: r(1, TEN(9)) },
  // length, in m
  { code: "4H", name: "micrometre (micron)", quantity: "length", si: r(1, TEN(6)) },
  { code: "MMT", name: "millimetre", quantity: "length", si: r(1, TEN(3)) },
  { code: "CMT", name: "centimetre", quantity: "length", si: r(1, 100) },
  { code: "DMT", name: "decimetre", quantity: "length", si: r(1, 10) },
  { code: "MTR", name: "metre", quantity: "length", si: r(1) },
  { code: "KMT", name: "kilometre", quantity: "length", si: r(1000) },
  { code: "77", name: "milli-inch", quantity: "length", si: r(254, TEN(7)) },
  { code: "INH", name: "inch", quantity: "length", si: r(254, TEN(4)) },
  { code: "FOT", name: "foot", quantity: "length", si: r(3048, TEN(4)) },
  { code: "YRD", name: "yard", quantity: "length", si: r(9144, TEN(4)) },
];

/** Symbols used by the traceability-vocab examples that are not Rec 20 codes, read as the Rec 20 unit named. */
const FIXTURE_SYMBOLS: Readonly<Record<string, string>> = {
  KG: "KGM",
  MPa: "MPA",
  "%": "P1",
  MM: "MMT",
};

const BY_CODE = new Map(UNITS.map((u) => [u.code, u]));

/** Every Rec 20 unit this module converts. */
export const SUPPORTED_UNITS: readonly UnitDefinition[] = UNITS;

/** The integer target units: their size in the SI unit of the quantity. */
const TARGETS = {
  kilogram: { quantity: "mass", si: r(1) },
  centiMegapascal: { quantity: "stress", si: r(TEN(4)) }, // 0.01 MPa
  ppm: { quantity: "fraction", si: r(1, TEN(6)) },
  hundredthPercent: { quantity: "fraction", si: r(1, TEN(4)) }, // 0.01 %
  micrometre: { quantity: "length", si: r(1, TEN(6)) },
} as const satisfies Record<string, { quantity: Quantity; si: Ratio }>;

/** A target unit of `convert`. */
export type Target = keyof typeof TARGETS;

/** An exact decimal: coefficient x 10^exponent. */
export interface Decimal {
  coefficient: bigint;
  exponent: number;
}

/** Decimal exponents beyond this are refused: no measurement needs them, and 10^huge would exhaust memory. */
const MAX_EXPONENT = 60;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Reads a decimal number exactly. Accepts what JSON numbers and the credentials' string values use:
 * optional sign, digits, optional fraction, optional exponent ("289600", "0.0189", "-1.5e3").
 * A JSON number is first written as ECMAScript writes it, i.e. as JCS hashes it, so the value mapped is
 * the value the content hash covers.
 */
export function parseDecimal(input: unknown, path: string): Decimal {
  const text = typeof input === "number" && Number.isFinite(input) ? String(input) : input;
  const match = typeof text === "string" ? DECIMAL.exec(text.trim()) : null;
  if (match === null) {
    throw new CredentialError(`invalid number ${quote(input)} at ${pathForMessage(path)}`, path);
  }
  const [, sign, whole, fraction = "", exp = "0"] = match;
  const exponent = Number(exp) - fraction.length;
  const coefficient = BigInt(whole + fraction) * (sign === "-" ? -1n : 1n);
  const digits = (whole + fraction).replace(/^0+/, "").length;
  if (coefficient !== 0n && Math.abs(exponent + digits) > MAX_EXPONENT) {
    throw new CredentialError(`number ${quote(input)} out of range at ${pathForMessage(path)}`, path);
  }
  return { coefficient, exponent: coefficient === 0n ? 0 : exponent };
}

/** `numerator / denominator` rounded to an integer, half up (ties away from zero). `denominator` > 0. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** The unit definition for a code (Rec 20 or a fixture symbol), and a note when a fixture symbol was used. */
export function lookupUnit(unitCode: unknown, path: string): { unit: UnitDefinition; note?: string } {
  if (typeof unitCode === "string") {
    const direct = BY_CODE.get(unitCode);
    if (direct !== undefined) return { unit: direct };
    const aliased = Object.hasOwn(FIXTURE_SYMBOLS, unitCode) ? BY_CODE.get(FIXTURE_SYMBOLS[unitCode]) : undefined;
    if (aliased !== undefined) {
      return {
        unit: aliased,
        note: `unit '${unitCode}' at ${pathForMessage(path)} is not a UN/ECE Rec 20 code; read as ${aliased.code} (${aliased.name})`,
      };
    }
  }
  throw new CredentialError(`unknown unit code ${quote(unitCode)} at ${pathForMessage(path)}`, path);
}

/**
 * Converts `value` given in `unitCode` to the integer `target` unit, exactly, rounding half up.
 * Throws `CredentialError` for an unknown unit, a unit of another quantity (e.g. a weight in MPa), or a
 * value that is not a decimal number. `valuePath` and `unitPath` point at the two in the credential.
 */
export function convertValue(
  value: unknown,
  unitCode: unknown,
  target: Target,
  valuePath: string,
  unitPath: string,
): Converted {
  const { unit, note } = lookupUnit(unitCode, unitPath);
  const want = TARGETS[target];
  if (unit.quantity !== want.quantity) {
    throw new CredentialError(
      `unit ${quote(unitCode)} at ${pathForMessage(unitPath)} measures ${unit.quantity}, expected ${want.quantity}`,
      unitPath,
    );
  }
  const { coefficient, exponent } = parseDecimal(value, valuePath);
  // value x unit.si / target.si, with the decimal exponent moved to whichever side keeps integers.
  let num = coefficient * unit.si.num * want.si.den;
  let den = unit.si.den * want.si.num;
  if (exponent >= 0) num *= TEN(exponent);
  else den *= TEN(-exponent);
  const result: Converted = { value: divideRoundHalfUp(num, den), unitCode: unit.code };
  if (note !== undefined) result.note = note;
  return result;
}

/** A MeasuredValue-like object: `{ value, unitCode }`. */
export interface Measured {
  value?: unknown;
  unitCode?: unknown;
}

/** Converts a `{ value, unitCode }` object found at `path` (see `convertValue`). */
export function convertMeasured(measured: Measured, target: Target, path: string): Converted {
  return convertValue(measured.value, measured.unitCode, target, `${path}/value`, `${path}/unitCode`);
}

/**
 * A bare percentage (the MTR chemistry numbers are "percentage content") in `target` units,
 * e.g. 0.0189 % -> 189 ppm.
 */
export function percentTo(value: unknown, target: "ppm" | "hundredthPercent", path: string): bigint {
  return convertValue(value, "P1", target, path, path).value;
}
