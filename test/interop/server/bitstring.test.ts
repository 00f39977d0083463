import { expect } from "chai";
import { gunzipSync } from "node:zlib";
import {
  MIN_LIST_BITS,
  decodeList,
  emptyBitstring,
  encodeList,
  getBit,
  withBit,
} from "../../../interop/server/bitstring";

describe("interop status lists: the bitstring", function () {
  it("is 16 KiB of zeros at first and encodes to gzip in base64url without padding", () => {
    const list = emptyBitstring();
    expect(list.length * 8).to.equal(MIN_LIST_BITS);
    const encoded = encodeList(list);
    expect(encoded).to.match(/^[A-Za-z0-9_-]+$/);
    expect(gunzipSync(Buffer.from(encoded, "base64url")).equals(list)).to.equal(true);
  });

  it("numbers bits from the most significant bit of the first byte", () => {
    const list = withBit(withBit(emptyBitstring(16), 0, true), 9, true);
    expect([...list]).to.deep.equal([0x80, 0x40]);
    expect(getBit(list, 0)).to.equal(true);
    expect(getBit(list, 1)).to.equal(false);
    expect(getBit(withBit(list, 0, false), 0)).to.equal(false);
  });

  it("round-trips through encodedList, also from padded standard base64", () => {
    const list = withBit(emptyBitstring(), 94_567, true);
    expect(getBit(decodeList(encodeList(list)), 94_567)).to.equal(true);
    const padded = Buffer.from(encodeList(list), "base64url").toString("base64");
    expect(getBit(decodeList(padded), 94_567)).to.equal(true);
  });

  it("refuses an index outside the list and an encodedList that is not gzip in base64", () => {
    expect(() => getBit(emptyBitstring(8), 8)).to.throw(RangeError);
    expect(() => withBit(emptyBitstring(8), -1, true)).to.throw(RangeError);
    expect(() => decodeList("not base64!")).to.throw();
    expect(() => decodeList(Buffer.from("plain").toString("base64url"))).to.throw();
  });
});
