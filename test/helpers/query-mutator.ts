/**
 * Seeded mutations of GraphQL documents for fuzzing the query API: tokens dropped, duplicated or swapped,
 * names exchanged, literals replaced by hostile ones. Every output is reproducible from the seed.
 */
import { Prng } from "./prng";

const TOKEN = /"(?:[^"\\]|\\.)*"|\.\.\.|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}()[\]:!$=@,|&]/g;

/** The tokens of a document, comments dropped. */
export function tokens(doc: string): string[] {
  return doc.replace(/#[^\n]*/g, "").match(TOKEN) ?? [];
}

const HOSTILE_LITERALS = [
  "0",
  "-1",
  "1001",
  "5001",
  "2147483648",
  "-2147483649",
  "99999999999999999999999999999999",
  "1e309",
  "0.5",
  "true",
  "null",
  '""',
  '"0x"',
  '"0xzz"',
  '"\\u0000"',
  '"a\\u0000b"',
  '"\\ud800"',
  '"Ω≈ç√∫ 鋼 🚢"',
  '"' + "x".repeat(5000) + '"',
  "[]",
  "{}",
  "[1, [2, [3]]]",
  "{ id: 1 }",
  "$nope",
];

/** 1–4 random edits of `base` (a token list), joined back into text. */
export function mutate(base: string[], names: string[], rng: Prng): string {
  const t = [...base];
  const edits = Number(rng.weighted({ 1: 6, 2: 2, 3: 1, 4: 1 }));
  for (let e = 0; e < edits && t.length > 0; e++) {
    const i = rng.int(0, t.length - 1);
    switch (rng.weighted({ drop: 3, duplicate: 2, swap: 2, rename: 3, literal: 4, insert: 2, repeat: 1 })) {
      case "drop":
        t.splice(i, rng.int(1, 3));
        break;
      case "duplicate":
        t.splice(i, 0, t[i]);
        break;
      case "swap": {
        const j = rng.int(0, t.length - 1);
        [t[i], t[j]] = [t[j], t[i]];
        break;
      }
      case "rename":
        if (/^[A-Za-z_]/.test(t[i])) t[i] = rng.pick(names);
        else t.splice(i, 0, rng.pick(names));
        break;
      case "literal": {
        const lits = t.map((x, k) => (/^["\d-]|^(true|false|null)$/.test(x) ? k : -1)).filter((k) => k >= 0);
        t[lits.length > 0 ? rng.pick(lits) : i] = rng.pick(HOSTILE_LITERALS);
        break;
      }
      case "insert":
        t.splice(i, 0, rng.pick(["{", "}", "(", ")", "[", "]", ":", "$", "...", "@skip", "@include(if: true)", "!"]));
        break;
      case "repeat": {
        // A slice repeated many times: the amplification a hand-written attack would try.
        const len = rng.int(1, 12);
        const slice = t.slice(i, i + len);
        for (let r = 0; r < rng.int(2, 50); r++) t.splice(i, 0, ...slice);
        break;
      }
    }
  }
  return t.join(" ");
}

/** Variables with the right names and random (often wrong) types. */
export function randomVariables(rng: Prng, realistic: Record<string, unknown>): Record<string, unknown> | unknown {
  const roll = rng.weighted({ realistic: 5, wrongTypes: 3, junk: 1 });
  if (roll === "realistic") return realistic;
  if (roll === "junk") return rng.pick<unknown>([[1, 2], "vars", 7, null, { "": { a: [] } }]);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(realistic)) {
    out[k] = rng.pick<unknown>([1.5, -1, "", "0x", "x".repeat(2000), [], {}, true, null, "\u0000", 2 ** 53, "💥"]);
  }
  return out;
}
