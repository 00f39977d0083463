import { expect } from "chai";
import { CredentialError, childPath, pathForMessage, quote } from "../../../scripts/credentials/errors";

describe("scripts/credentials/errors", function () {
  it("keeps messages on one line and carries the path", function () {
    const error = new CredentialError("bad value\n  at line\r\n2", "/a/b");
    expect(error.message).to.equal("bad value at line 2");
    expect(error.name).to.equal("CredentialError");
    expect(error.path).to.equal("/a/b");
    expect(error).to.be.instanceOf(Error);
    expect(new CredentialError("x").path).to.equal(undefined);
  });

  it("builds JSON Pointers with RFC 6901 escapes", function () {
    expect(childPath("", "credentialSubject")).to.equal("/credentialSubject");
    expect(childPath("/items", 3)).to.equal("/items/3");
    expect(childPath("/a", "b/c~d")).to.equal("/a/b~1c~0d");
    expect(pathForMessage("")).to.equal("/");
    expect(pathForMessage("/x")).to.equal("/x");
  });

  it("quotes user values briefly and on one line", function () {
    expect(quote("Narnia")).to.equal("'Narnia'");
    expect(quote(42)).to.equal("'42'");
    expect(quote(undefined)).to.equal("'undefined'");
    expect(quote({ a: 1 })).to.equal(`'{"a":1}'`);
    expect(quote("a\nb\tc")).to.equal("'a b c'");
    const long = quote("x".repeat(100));
    expect(long).to.equal(`'${"x".repeat(57)}...'`);
  });
});
