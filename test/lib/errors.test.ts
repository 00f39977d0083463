import { expect } from "chai";
import { runInNewContext } from "node:vm";
import { messageOf } from "../../lib/errors";

describe("lib/errors messageOf", function () {
  it("gives an Error's message, of any Error subclass", function () {
    expect(messageOf(new Error("boom"))).to.equal("boom");
    expect(messageOf(new TypeError("bad type"))).to.equal("bad type");
    expect(messageOf(new Error(""))).to.equal("");
  });

  it("gives the message of an Error from another realm and of an error-like object", function () {
    const foreign: unknown = runInNewContext('new Error("from a vm context")');
    expect(foreign instanceof Error).to.equal(false);
    expect(messageOf(foreign)).to.equal("from a vm context");
    expect(messageOf({ code: -32000, message: "execution reverted" })).to.equal("execution reverted");
  });

  it("gives anything else as text", function () {
    expect(messageOf("thrown as a string")).to.equal("thrown as a string");
    expect(messageOf(42)).to.equal("42");
    expect(messageOf(undefined)).to.equal("undefined");
    expect(messageOf(null)).to.equal("null");
    expect(messageOf({ message: 7 })).to.equal("[object Object]");
  });
});
