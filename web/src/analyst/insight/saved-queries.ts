/**
 * The saved queries of subgraph/queries/ (bundled by saved-query-files.ts) with what their forms need: the description
 * (the file's leading comment), the variables with their GraphQL types, parsing of what the user typed, and the
 * answer flattened into table rows.
 */
import { parse } from "graphql/language/parser";
import type { TypeNode } from "graphql/language/ast";

export interface QueryVariable {
  name: string;
  /** The GraphQL type as written, e.g. "BigInt!". */
  type: string;
  /** The named type without list and non-null wrappers. */
  base: string;
  required: boolean;
  list: boolean;
}

export interface SavedQuery {
  /** File name without `.graphql`, e.g. "high-risk-arrivals". */
  name: string;
  /** The operation name, e.g. "HighRiskArrivals". */
  operation: string;
  description: string;
  text: string;
  variables: QueryVariable[];
}

function typeInfo(t: TypeNode): { base: string; required: boolean; list: boolean; text: string } {
  if (t.kind === "NonNullType") {
    const inner = typeInfo(t.type);
    return { ...inner, required: true, text: inner.text + "!" };
  }
  if (t.kind === "ListType") {
    const inner = typeInfo(t.type);
    return { base: inner.base, required: false, list: true, text: `[${inner.text}]` };
  }
  return { base: t.name.value, required: false, list: false, text: t.name.value };
}

/** Parses one saved query file; throws with the file name when it is not one operation. */
export function describeQuery(name: string, text: string): SavedQuery {
  const doc = parse(text);
  const op = doc.definitions.find((d) => d.kind === "OperationDefinition");
  if (!op || op.kind !== "OperationDefinition") throw new Error(`${name}.graphql holds no operation`);
  const description = text
    .split("\n")
    .filter((l) => l.startsWith("#"))
    .map((l) => l.replace(/^#\s?/, ""))
    .join(" ");
  const variables = (op.variableDefinitions ?? []).map((v) => {
    const t = typeInfo(v.type);
    return { name: v.variable.name.value, type: t.text, base: t.base, required: t.required, list: t.list };
  });
  return { name, operation: op.name?.value ?? name, description, text, variables };
}

/** Every saved query of `files` (path → text), by file name. */
export function savedQueries(files: Record<string, string>): SavedQuery[] {
  return Object.entries(files)
    .map(([path, text]) => describeQuery(path.replace(/^.*\//, "").replace(/\.graphql$/, ""), text))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const CHECKS: Record<string, { test: (s: string) => boolean; what: string }> = {
  BigInt: { test: (s) => /^-?\d+$/.test(s), what: "a whole number" },
  Int: { test: (s) => /^-?\d+$/.test(s) && Math.abs(Number(s)) < 2 ** 31, what: "a 32-bit whole number" },
  Bytes: { test: (s) => /^0x([0-9a-fA-F]{2})*$/.test(s), what: "hex bytes starting with 0x (e.g. an address)" },
  Boolean: { test: (s) => s === "true" || s === "false", what: "true or false" },
};

/** What the user typed, as the variables object; per-variable errors when something does not fit its type. */
export function parseVariables(
  vars: QueryVariable[],
  typed: Record<string, string>,
): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const v of vars) {
    const raw = (typed[v.name] ?? "").trim();
    if (raw === "") {
      if (v.required) errors[v.name] = `${v.name} is required`;
      continue;
    }
    const items = v.list ? raw.split(",").map((s) => s.trim()) : [raw];
    const check = CHECKS[v.base];
    const bad = check ? items.find((s) => !check.test(s)) : undefined;
    if (bad !== undefined) {
      errors[v.name] = `${JSON.stringify(bad)} is not ${check!.what}`;
      continue;
    }
    const cast = (s: string): unknown =>
      v.base === "Int" ? Number(s) : v.base === "Boolean" ? s === "true" : v.base === "Bytes" ? s.toLowerCase() : s;
    values[v.name] = v.list ? items.map(cast) : cast(items[0]);
  }
  return { values, errors };
}

export type Cell = string | number | boolean | null;

/** A nested answer value as one cell: objects as key=value pairs, lists joined. */
function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map((x) => String(cellOf(x) ?? "")).join("; ");
  if (typeof v === "object") {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${String(cellOf(x) ?? "")}`)
      .join(" ");
  }
  return v as Cell;
}

/** One entity as a row: nested objects flattened to dotted columns, lists into one cell. */
function flatten(entity: Record<string, unknown>, prefix = "", out: Record<string, Cell> = {}): Record<string, Cell> {
  for (const [k, v] of Object.entries(entity)) {
    if (v !== null && typeof v === "object" && !Array.isArray(v))
      flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[prefix + k] = cellOf(v);
  }
  return out;
}

export interface ResultTable {
  /** The root field, e.g. "shipments". */
  field: string;
  columns: string[];
  rows: Record<string, Cell>[];
}

/** One table per root field of the answer. */
export function answerTables(data: Record<string, unknown>): ResultTable[] {
  return Object.entries(data).map(([field, value]) => {
    const list = value === null ? [] : Array.isArray(value) ? value : [value];
    const rows = list.map((e) => flatten(e as Record<string, unknown>));
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    // A nested object that is null in one row and present in another: keep its dotted columns only.
    const columns = keys.filter((k) => !keys.some((other) => other.startsWith(`${k}.`)));
    return { field, columns, rows };
  });
}
