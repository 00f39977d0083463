/**
 * subgraph/indexes.json against the queries that read the store at the head: every field a root collection
 * filters or orders on in the saved queries, the web app and the season report must have an index the query
 * can use, or that query scans every current version at a million shipments. Nested collections are read
 * per parent through the back-reference's index, so only root fields count.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import {
  Kind,
  TypeInfo,
  buildSchema,
  getNamedType,
  parse,
  visit,
  visitWithTypeInfo,
  type ObjectFieldNode,
  type ValueNode,
} from "graphql";
import { buildSdl } from "../../indexer/graphql/sdl";
import { splitFilterKey, Sources } from "../../indexer/store/sql";
import type { IndexSpec } from "../../indexer/schema/index-plan";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { Layout } from "../../indexer/store/layout";
import { queueWhere } from "../../web/src/analyst/queue";

const ROOT = path.resolve(__dirname, "../..");
const model = loadSubgraphSchema(path.join(ROOT, "subgraph/schema.graphql"));
const layout = new Layout(model);
const sources = new Sources(model, layout);
const schema = buildSchema(buildSdl(model));

/** `where` objects passed as variables, by operation name: the widest the page builds. */
const VARIABLE_WHERE: Record<string, Record<string, unknown>> = {
  RiskQueue: queueWhere(
    { port: "USHOU", chapter: "73", rule: "MELT_POUR_MISMATCH", melt: "CN" },
    "0x" + "a".repeat(40),
  ),
};

interface Use {
  entity: string;
  field: string;
  where: string;
  /** `orderBy: field` (else a filter). */
  order: boolean;
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(name) ? [p] : [];
  });
}

/** GraphQL documents in a source file: the whole file for .graphql, template literals holding queries else. */
function documents(file: string): string[] {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".graphql")) return [text];
  const found: string[] = [];
  for (const [, body] of text.matchAll(/`([^`]*)`/g)) {
    // Whole operations only: pieces of selection sets are spliced into nested positions of one.
    if (!/\b(where|orderBy)\s*:/.test(body) || !/^\s*(query\b|\{)/.test(body)) continue;
    // An interpolated piece of a selection set becomes a field any type has; one outside any selection (a
    // fragment definition) is left out.
    found.push(
      body.replace(/\$\{[^}]*\}/g, (_m, at: number) => {
        const before = body.slice(0, at);
        const depth = (before.match(/\{/g) ?? []).length - (before.match(/\}/g) ?? []).length;
        return depth > 0 ? " __typename " : "";
      }),
    );
  }
  return found;
}

function objectKeys(value: ValueNode, variables: Record<string, unknown> | undefined): string[] {
  if (value.kind === Kind.OBJECT) return value.fields.map((f: ObjectFieldNode) => f.name.value);
  if (value.kind === Kind.VARIABLE) return Object.keys(variables ?? {});
  return [];
}

/** The fields root collections filter and order on in one document. */
function uses(doc: string, where: string): Use[] {
  const out: Use[] = [];
  const ast = parse(doc);
  const info = new TypeInfo(schema);
  let operation = "";
  visit(
    ast,
    visitWithTypeInfo(info, {
      OperationDefinition(node) {
        operation = node.name?.value ?? "";
      },
      Field(node) {
        if (info.getParentType()?.name !== "Query") return;
        const entity = getNamedType(info.getType())?.name;
        if (!entity || !layout.tables.has(entity)) return;
        for (const arg of node.arguments ?? []) {
          if (arg.name.value === "where") {
            for (const key of objectKeys(arg.value, VARIABLE_WHERE[operation])) {
              const { col } = splitFilterKey(sources.get(entity), key);
              if (col) out.push({ entity, field: col.name, where, order: false });
            }
          }
          if (arg.name.value === "orderBy" && arg.value.kind === Kind.ENUM) {
            out.push({ entity, field: arg.value.value, where, order: true });
          }
        }
      },
    }),
  );
  return out;
}

describe("subgraph index plan (subgraph/indexes.json)", function () {
  const sourcesOfQueries = [
    ...files(path.join(ROOT, "subgraph/queries"), /\.graphql$/),
    ...files(path.join(ROOT, "web/src"), /\.tsx?$/),
    path.join(ROOT, "scripts/season/report.ts"),
  ];
  const all = sourcesOfQueries.flatMap((f) =>
    documents(f).flatMap((d) => {
      try {
        return uses(d, path.relative(ROOT, f));
      } catch (e) {
        throw new Error(`${path.relative(ROOT, f)}: a query this test cannot read: ${(e as Error).message}`);
      }
    }),
  );

  it("finds the queries it checks (the queue's variable filter included)", function () {
    const of = (entity: string) => new Set(all.filter((u) => u.entity === entity).map((u) => u.field));
    expect([...of("Shipment")]).to.include.members(["riskScore", "billOfLading", "queueRank", "meltCountries"]);
    expect([...of("RiskFlag")]).to.include.members(["rule"]);
    expect([...of("MillTestReport")]).to.include.members(["utilizationBps", "contentHash", "certificateNumber"]);
  });

  it("indexes every field a root collection filters or orders on", function () {
    // A field another's index holds after it (`"a+b"`) is tested in that index.
    const held = (entity: string, field: string) =>
      layout.table(entity).columns.some((c) => c.indexWith.includes(field));
    const missing = all.filter(
      (u) => u.field !== "id" && layout.table(u.entity).byField.get(u.field)?.index == null && !held(u.entity, u.field),
    );
    expect(missing.map((u) => `${u.entity}.${u.field} (${u.where})`)).to.deep.equal([]);
  });

  it("orders through an index that holds the id too, so that ORDER BY field, id needs no sort", function () {
    const sorting = all.filter((u) => {
      const index = layout.table(u.entity).byField.get(u.field)?.index;
      return u.order && u.field !== "id" && index !== "order" && index !== "all";
    });
    expect(sorting.map((u) => `${u.entity}.${u.field} (${u.where})`)).to.deep.equal([]);
  });

  it("declares nothing no query uses, and as order only what a query orders on", function () {
    const used = new Map<string, boolean>();
    for (const u of all) used.set(`${u.entity}.${u.field}`, (used.get(`${u.entity}.${u.field}`) ?? false) || u.order);
    const declared = [...(model.indexes ?? new Map<string, ReadonlyMap<string, IndexSpec>>())].flatMap(
      ([entity, fields]) =>
        [...fields].flatMap(([f, spec]) => [
          { name: `${entity}.${f}`, order: spec.use === "order" },
          ...spec.with.map((w) => ({ name: `${entity}.${w}`, order: false })),
        ]),
    );
    expect(declared.filter((d) => !used.has(d.name)).map((d) => d.name)).to.deep.equal([]);
    expect(declared.filter((d) => d.order && !used.get(d.name)).map((d) => d.name)).to.deep.equal([]);
  });
});
