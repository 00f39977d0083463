import { expect } from "chai";
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { contentHash } from "../../../scripts/credentials/jcs";
import { loadCredential, storeCredential } from "../../../scripts/credentials/store";

const mode = (file: string) => statSync(file).mode & 0o777;

describe("scripts/credentials/store", function () {
  const text = JSON.stringify({ a: 1 });
  const hash = contentHash({ a: 1 });
  const other = `0x${"ab".repeat(32)}`;

  it("writes credentials readable by the owner only (files 0600, directories 0700)", function () {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "tt-store-")), ".tradetrace", "credentials");
    const file = storeCredential(dir, text, hash, [hash, other]);
    expect(mode(file)).to.equal(0o600);
    expect(mode(path.join(dir, "records", other))).to.equal(0o600);
    expect(mode(dir)).to.equal(0o700);
    expect(mode(path.join(dir, "records"))).to.equal(0o700);
    expect(mode(path.dirname(dir))).to.equal(0o700);
    expect(loadCredential(dir, other).text).to.equal(text);
  });

  it("tightens a store and files that an earlier version left readable by others", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "tt-store-"));
    mkdirSync(path.join(dir, "records"));
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, "records"), 0o755);
    writeFileSync(path.join(dir, `${hash}.json`), text, { mode: 0o644 });
    const file = storeCredential(dir, text, hash, [hash, other]);
    expect(mode(file)).to.equal(0o600);
    expect(mode(dir)).to.equal(0o700);
    expect(mode(path.join(dir, "records"))).to.equal(0o700);
  });
});
