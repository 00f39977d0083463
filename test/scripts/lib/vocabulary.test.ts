import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ALL_BUSINESS_ROLES, BUSINESS_ROLES, formatRoles, roleMask, roleNames } from "../../../scripts/lib/vocabulary";

const SOLIDITY = path.resolve(__dirname, "../../../contracts/libraries/BusinessRoles.sol");

/** The `uint32 internal constant` values of BusinessRoles.sol, read from the source without compiling it. */
function solidityConstants(): Record<string, number> {
  const source = readFileSync(SOLIDITY, "utf8");
  const constants: Record<string, number> = {};
  for (const [, name, expression] of source.matchAll(/uint32 internal constant (\w+) = ([^;]+);/g)) {
    const single = /^1 << (\d+)$/.exec(expression.trim());
    const below = /^\(1 << (\d+)\) - 1$/.exec(expression.trim());
    if (single) constants[name] = 1 << Number(single[1]);
    else if (below) constants[name] = (1 << Number(below[1])) - 1;
    else throw new Error(`BusinessRoles.${name} = ${expression}: teach this test the new form`);
  }
  return constants;
}

describe("scripts/lib/vocabulary", function () {
  it("has exactly the role bits of contracts/libraries/BusinessRoles.sol", function () {
    const { ALL, ...roles } = solidityConstants();
    expect(Object.keys(roles)).to.have.length.greaterThan(0);
    expect({ ...BUSINESS_ROLES }).to.deep.equal(roles);
    expect(ALL_BUSINESS_ROLES).to.equal(ALL);
  });

  it("names the roles of a mask, lowest bit first, and keeps undefined bits visible", function () {
    expect(roleNames(BUSINESS_ROLES.EXPORTER | BUSINESS_ROLES.MILL)).to.deep.equal(["MILL", "EXPORTER"]);
    expect(roleNames(0)).to.deep.equal([]);
    expect(roleNames((1n << 9n) | 1n)).to.deep.equal(["MILL", "bit 9"]);
    expect(formatRoles(BUSINESS_ROLES.CERTIFIER | BUSINESS_ROLES.EXPORTER)).to.equal("EXPORTER|CERTIFIER");
    expect(formatRoles(0)).to.equal("none");
  });

  it("builds a mask from names in any case, with - for _, and ALL", function () {
    expect(roleMask(["mill", "Customs-Broker"])).to.equal(BUSINESS_ROLES.MILL | BUSINESS_ROLES.CUSTOMS_BROKER);
    expect(roleMask(["ALL"])).to.equal(ALL_BUSINESS_ROLES);
    expect(roleNames(roleMask(["LABORATORY", "IMPORTER"]))).to.deep.equal(["IMPORTER", "LABORATORY"]);
  });

  it("refuses an unknown role or none, naming the known ones", function () {
    expect(() => roleMask(["MILL", "SMELTER"])).to.throw(/unknown role "SMELTER": known roles are MILL, PROCESSOR/);
    expect(() => roleMask([])).to.throw(/no role given: known roles are MILL/);
  });
});
