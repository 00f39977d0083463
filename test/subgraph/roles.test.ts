/**
 * The subgraph's business roles (subgraph/src/roles.ts, AssemblyScript) against scripts/lib/vocabulary.ts, the
 * TypeScript home that test/scripts/lib/vocabulary.test.ts holds equal to contracts/libraries/BusinessRoles.sol.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { BUSINESS_ROLES } from "../../scripts/lib/vocabulary";

const ROLES = path.resolve(__dirname, "../../subgraph/src/roles.ts");

/** The `export const NAME: i32 = 1 << n;` bits of an AssemblyScript source. */
export function assemblyScriptBits(source: string): Record<string, number> {
  const bits: Record<string, number> = {};
  for (const [, name, expression] of source.matchAll(/export const (\w+): i32 = ([^;]+);/g)) {
    const single = /^1 << (\d+)$/.exec(expression.trim());
    if (!single) throw new Error(`roles.ts: ${name} = ${expression}: teach this test the new form`);
    bits[name] = 1 << Number(single[1]);
  }
  return bits;
}

/** The ROLE_NAMES array of an AssemblyScript source: ROLE_NAMES[i] names bit i. */
export function assemblyScriptNames(source: string): string[] {
  const list = /export const ROLE_NAMES: Array<string> = \[([^\]]*)\];/.exec(source);
  if (!list) throw new Error("roles.ts: no ROLE_NAMES array");
  return [...list[1].matchAll(/"(\w+)"/g)].map(([, name]) => name);
}

describe("subgraph roles", function () {
  const source = readFileSync(ROLES, "utf8");

  it("has exactly the role bits of scripts/lib/vocabulary.ts", function () {
    const bits = assemblyScriptBits(source);
    expect(Object.keys(bits)).to.have.length.greaterThan(0);
    expect(bits).to.deep.equal({ ...BUSINESS_ROLES });
  });

  it("names bit i ROLE_NAMES[i], as vocabulary.ts does", function () {
    const names = assemblyScriptNames(source);
    const byBit = Object.entries(BUSINESS_ROLES)
      .sort((a, b) => a[1] - b[1])
      .map(([name]) => name);
    expect(names).to.deep.equal(byBit);
    names.forEach((name, i) => expect(BUSINESS_ROLES[name as keyof typeof BUSINESS_ROLES], name).to.equal(1 << i));
  });

  it("refuses a role bit it cannot read and a missing name list", function () {
    expect(() => assemblyScriptBits("export const ODD: i32 = 3;")).to.throw(/ODD = 3: teach this test/);
    expect(() => assemblyScriptNames("const X = 1;")).to.throw(/no ROLE_NAMES array/);
    expect(assemblyScriptBits("export const MILL: i32 = 1 << 0;")).to.deep.equal({ MILL: 1 });
  });
});
