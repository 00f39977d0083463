import { expect } from "chai";
import { COUNTRIES, countryByAlpha2, countryKey, normaliseCountry } from "../../../scripts/credentials/countries";
import { CredentialError } from "../../../scripts/credentials/errors";

describe("scripts/credentials/countries", function () {
  it("holds all 249 ISO 3166-1 entries, with unique well-formed codes, in alpha-2 order", function () {
    expect(COUNTRIES).to.have.length(249);
    const alpha2 = COUNTRIES.map((c) => c.alpha2);
    const alpha3 = COUNTRIES.map((c) => c.alpha3);
    expect(new Set(alpha2).size).to.equal(249);
    expect(new Set(alpha3).size).to.equal(249);
    expect(new Set(COUNTRIES.map((c) => countryKey(c.name))).size).to.equal(249);
    expect(alpha2).to.deep.equal([...alpha2].sort());
    for (const c of COUNTRIES) {
      expect(c.alpha2, c.name).to.match(/^[A-Z]{2}$/);
      expect(c.alpha3, c.name).to.match(/^[A-Z]{3}$/);
    }
  });

  it("normalises every entry's alpha-2, alpha-3 and short name to its alpha-2", function () {
    for (const c of COUNTRIES) {
      expect(normaliseCountry(c.alpha2, "/x")).to.equal(c.alpha2);
      expect(normaliseCountry(c.alpha3, "/x")).to.equal(c.alpha2);
      expect(normaliseCountry(c.name, "/x")).to.equal(c.alpha2);
      expect(normaliseCountry(c.name.toUpperCase(), "/x")).to.equal(c.alpha2);
    }
  });

  it("normalises the common variants", function () {
    const variants: [string, string][] = [
      ["USA", "US"],
      ["usa", "US"],
      ["United States", "US"],
      ["United States of America", "US"],
      ["U.S.A.", "US"],
      ["Korea, Republic of", "KR"],
      ["South Korea", "KR"],
      ["Republic of Korea", "KR"],
      ["North Korea", "KP"],
      ["Türkiye", "TR"],
      ["Turkiye", "TR"],
      ["Turkey", "TR"],
      ["Viet Nam", "VN"],
      ["Vietnam", "VN"],
      ["UK", "GB"],
      ["United Kingdom", "GB"],
      ["Great Britain", "GB"],
      ["Russia", "RU"],
      ["Czech Republic", "CZ"],
      ["Ivory Coast", "CI"],
      ["Côte d’Ivoire", "CI"],
      ["  the   Netherlands ", "NL"],
      ["Holland", "NL"],
      ["Taiwan", "TW"],
      ["Oman", "OM"],
      ["Mexico", "MX"],
      ["Democratic Republic of the Congo", "CD"],
      ["Congo", "CG"],
      ["Niger", "NE"],
      ["Nigeria", "NG"],
    ];
    for (const [input, alpha2] of variants) expect(normaliseCountry(input, "/x"), input).to.equal(alpha2);
  });

  it("refuses anything else with the value and path", function () {
    expect(() => normaliseCountry("Narnia", "/credentialSubject/inspections/0/countryOfMeltAndPour")).to.throw(
      CredentialError,
      "cannot normalise country 'Narnia' at /credentialSubject/inspections/0/countryOfMeltAndPour",
    );
    // Ambiguous or non-country inputs are not guessed.
    for (const bad of ["Korea", "EU", "Europe", "XK", "America", "", "U", "USAA", "ZZ"]) {
      expect(() => normaliseCountry(bad, "/c"), bad).to.throw(CredentialError, "cannot normalise country");
    }
    expect(() => normaliseCountry(840, "/c")).to.throw(CredentialError, "cannot normalise country '840' at /c");
    expect(() => normaliseCountry(undefined, "")).to.throw(CredentialError, "at /");
  });

  it("finds entries by alpha-2", function () {
    expect(countryByAlpha2("TR")?.name).to.equal("Türkiye");
    expect(countryByAlpha2("tr")).to.equal(undefined);
  });
});
