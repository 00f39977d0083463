/**
 * One set of risk-rule facts: scripts/lib/risk-rules.ts (the TypeScript home the season and the bench read) must
 * say what the subgraph's rule table (subgraph/src/rules/table.ts) says, and so must the rules' thresholds in
 * subgraph/src/rules/, the schema's rule table and RiskRule enum, and subgraph/README.md's rule table. The flags an
 * indexed scenario raises are checked against the same module in subgraph.test.ts, the bench's in
 * test/bench/query-latency.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import {
  DISPERSION_MIN_IMPORTERS,
  DISPERSION_MIN_OTHER_HEATS,
  LATE_FILING_HOURS,
  NEW_LANE_MIN_SHIPMENTS,
  ROUTE_CHANGE_MIN_SHIPMENTS,
  SURGE_BASELINE_WEEKS,
  SURGE_MIN_HISTORY_WEEKS,
  WEEK_SECONDS,
  NEW_PARTY_DAYS,
  RISK_RULES,
  RISK_RULE_NAMES,
  WEIGHT_TOLERANCE_PERCENT,
  severityOf,
} from "../../scripts/lib/risk-rules";

const SUBGRAPH = path.resolve(__dirname, "../../subgraph");
const read = (file: string): string => readFileSync(path.join(SUBGRAPH, file), "utf8");

/** The rules of subgraph/src/rules/table.ts, in the order of its RULES array, read from the source. */
export function assemblyScriptRules(source: string): [string, number][] {
  const defined = new Map<string, number>();
  for (const [, constant, name, severity] of source.matchAll(/export const (\w+) = new Rule\("(\w+)", (\d+)\);/g)) {
    if (constant !== name) throw new Error(`table.ts: ${constant} is named "${name}"`);
    if (defined.has(name)) throw new Error(`table.ts: ${name} defined twice`);
    defined.set(name, Number(severity));
  }
  const list = /export const RULES: Array<Rule> = \[([^\]]*)\];/.exec(source);
  if (!list) throw new Error("table.ts: no RULES array");
  const order = list[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const name of order) if (!defined.has(name)) throw new Error(`table.ts: RULES lists undefined ${name}`);
  for (const name of defined.keys()) if (!order.includes(name)) throw new Error(`table.ts: ${name} not in RULES`);
  return order.map((name) => [name, defined.get(name)!]);
}

/** An AssemblyScript integer constant of `file`, a product of literals (`24 * 3600`). */
function assemblyScriptConstant(file: string, name: string): number {
  const match = new RegExp(`export const ${name}: \\w+ = ([\\d *]+);`).exec(read(file));
  if (!match) throw new Error(`${file}: no constant ${name}`);
  return match[1].split("*").reduce((product, factor) => product * Number(factor.trim()), 1);
}

/** The `| RULE | severity |` rows of a Markdown table in `text`. */
function tableRows(text: string): [string, number][] {
  return [...text.matchAll(/^\| ([A-Z_]+) +\| (\d+) +\|/gm)].map(([, rule, severity]) => [rule, Number(severity)]);
}

/** The RiskRule enum's values with the severity their descriptions state. */
function enumSeverities(schema: string): [string, number][] {
  const body = /enum RiskRule \{([\s\S]*?)\n\}/.exec(schema);
  if (!body) throw new Error("schema.graphql: no RiskRule enum");
  return [...body[1].matchAll(/"""([\s\S]*?)"""\s*(\w+)/g)].map(([, description, value]) => {
    const severity = /Severity (\d+)\./.exec(description);
    if (!severity) throw new Error(`schema.graphql: RiskRule.${value} states no severity`);
    return [value, Number(severity[1])];
  });
}

const sorted = (rows: [string, number][]): [string, number][] => [...rows].sort((a, b) => a[0].localeCompare(b[0]));

describe("risk rules: one set of facts", function () {
  const expected = Object.entries(RISK_RULES);

  it("scripts/lib/risk-rules.ts has exactly the rules and severities of subgraph/src/rules/table.ts", function () {
    const rules = assemblyScriptRules(read("src/rules/table.ts"));
    expect(rules).to.have.length.greaterThan(0);
    expect(rules).to.deep.equal(expected);
    expect(RISK_RULE_NAMES).to.deep.equal(rules.map(([name]) => name));
  });

  it("has the thresholds of the subgraph's rules", function () {
    expect(assemblyScriptConstant("src/rules/filing.ts", "LATE_FILING_SECONDS")).to.equal(LATE_FILING_HOURS * 3600);
    expect(assemblyScriptConstant("src/rules/parties.ts", "NEW_PARTY_SECONDS")).to.equal(NEW_PARTY_DAYS * 86400);
    expect(assemblyScriptConstant("src/rules/lines.ts", "WEIGHT_TOLERANCE_PERCENT")).to.equal(WEIGHT_TOLERANCE_PERCENT);
  });

  it("has the thresholds of the history rules", function () {
    const history = (file: string, name: string): number => assemblyScriptConstant(`src/history/${file}.ts`, name);
    expect(history("statistics", "WEEK_SECONDS")).to.equal(WEEK_SECONDS);
    expect(history("volumeSurge", "SURGE_BASELINE_WEEKS")).to.equal(SURGE_BASELINE_WEEKS);
    expect(history("volumeSurge", "SURGE_MIN_HISTORY_WEEKS")).to.equal(SURGE_MIN_HISTORY_WEEKS);
    expect(history("newLane", "NEW_LANE_MIN_SHIPMENTS")).to.equal(NEW_LANE_MIN_SHIPMENTS);
    expect(history("routeChange", "ROUTE_CHANGE_MIN_SHIPMENTS")).to.equal(ROUTE_CHANGE_MIN_SHIPMENTS);
    expect(history("heatDispersion", "DISPERSION_MIN_IMPORTERS")).to.equal(DISPERSION_MIN_IMPORTERS);
    expect(history("heatDispersion", "DISPERSION_MIN_OTHER_HEATS")).to.equal(DISPERSION_MIN_OTHER_HEATS);
  });

  it("the schema's RiskRule enum has the table's rules in its order, each description stating its severity", function () {
    expect(enumSeverities(read("schema.graphql"))).to.deep.equal(expected);
  });

  it("the schema's and subgraph/README.md's rule tables have every rule with its severity", function () {
    expect(sorted(tableRows(read("schema.graphql")))).to.deep.equal(sorted(expected));
    expect(sorted(tableRows(read("README.md")))).to.deep.equal(sorted(expected));
  });

  it("has no default severity: an unknown rule throws", function () {
    expect(severityOf("WATCHLIST")).to.equal(35);
    expect(() => severityOf("SMUGGLING")).to.throw('unknown risk rule "SMUGGLING"');
    expect(() => severityOf("toString")).to.throw(/unknown risk rule/);
  });

  describe("reading the AssemblyScript table", function () {
    const table = (body: string, list: string): string => `${body}\nexport const RULES: Array<Rule> = [${list}];\n`;

    it("refuses a constant named otherwise than its rule, a rule defined twice, and RULES out of step", function () {
      const a = 'export const A = new Rule("A", 10);';
      expect(() => assemblyScriptRules(table('export const A = new Rule("B", 10);', "A"))).to.throw(/A is named "B"/);
      expect(() => assemblyScriptRules(table(`${a}\n${a}`, "A"))).to.throw(/A defined twice/);
      expect(() => assemblyScriptRules(table(a, "A, C"))).to.throw(/RULES lists undefined C/);
      expect(() => assemblyScriptRules(table(`${a}\n${a.replace(/A/g, "D")}`, "A"))).to.throw(/D not in RULES/);
      expect(() => assemblyScriptRules(a)).to.throw(/no RULES array/);
      expect(assemblyScriptRules(table(a, "A,"))).to.deep.equal([["A", 10]]);
    });
  });
});
