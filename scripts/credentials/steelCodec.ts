/**
 * TypeScript side of contracts/libraries/SteelCodec.sol: packs chemistry (ppm, uint24 per element) and mechanics
 * (uint32 per field) the way the contract and the subgraph read them.
 */

/** Chemistry elements in codec order (credential `chemicalComposition` keys). */
export const ELEMENTS = [
  "c", "mn", "p", "s", "si", "al", "cu", "ni", "cr", "mo",
  "sn", "nbCb", "v", "ti", "b", "n", "ca", "pb", "ce",
] as const; // prettier-ignore
export type Element = (typeof ELEMENTS)[number];

export const NOT_REPORTED_PPM = 0xffffffn;
export const NOT_REPORTED_U32 = 0xffffffffn;

export const HARDNESS_SCALES = { none: 0, HRB: 1, HRC: 2, HBW: 3, HV: 4 } as const;

/** Packs ppm values by element; missing elements are "not reported". */
export function packChemistryPpm(ppm: Partial<Record<Element, bigint | number>>): [bigint, bigint] {
  const words: [bigint, bigint] = [0n, 0n];
  ELEMENTS.forEach((element, i) => {
    const raw = ppm[element];
    const value = raw === undefined ? NOT_REPORTED_PPM : BigInt(raw);
    words[Math.floor(i / 10)] |= value << BigInt(24 * (i % 10));
  });
  return words;
}

/** Packs weight-percent values (as in the credential) into ppm words. */
export function packChemistryPercent(percent: Partial<Record<Element, number>>): [bigint, bigint] {
  const ppm: Partial<Record<Element, bigint>> = {};
  for (const [element, value] of Object.entries(percent)) ppm[element as Element] = BigInt(Math.round(value * 1e4));
  return packChemistryPpm(ppm);
}

/** Reads the ppm value of every element (NOT_REPORTED_PPM for "not reported"). */
export function unpackChemistry(words: readonly [bigint, bigint] | readonly bigint[]): Record<Element, bigint> {
  const out = {} as Record<Element, bigint>;
  ELEMENTS.forEach((element, i) => {
    out[element] = (BigInt(words[Math.floor(i / 10)]) >> BigInt(24 * (i % 10))) & 0xffffffn;
  });
  return out;
}

export interface Mechanics {
  /** 0.01 MPa */ yieldStrength?: bigint | number;
  /** 0.01 MPa */ tensileStrength?: bigint | number;
  /** 0.01 % */ elongation?: bigint | number;
  /** 0.01 % */ reductionOfArea?: bigint | number;
  /** 0.01 J */ charpy?: bigint | number;
  /** 0.01 of the scale unit */ hardness?: bigint | number;
  hardnessScale?: number;
}

const MECHANIC_FIELDS = ["yieldStrength", "tensileStrength", "elongation", "reductionOfArea", "charpy", "hardness"];

export function packMechanics(m: Mechanics): bigint {
  let word = 0n;
  MECHANIC_FIELDS.forEach((field, i) => {
    const raw = m[field as keyof Mechanics];
    const value = raw === undefined ? NOT_REPORTED_U32 : BigInt(raw);
    word |= value << BigInt(32 * i);
  });
  return word | (BigInt(m.hardnessScale ?? 0) << 192n);
}

export function unpackMechanics(word: bigint): Required<Record<keyof Mechanics, bigint>> {
  const field = (i: number) => (word >> BigInt(32 * i)) & NOT_REPORTED_U32;
  return {
    yieldStrength: field(0),
    tensileStrength: field(1),
    elongation: field(2),
    reductionOfArea: field(3),
    charpy: field(4),
    hardness: field(5),
    hardnessScale: (word >> 192n) & 0xffn,
  };
}
