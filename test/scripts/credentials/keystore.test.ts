import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet, encryptKeystoreJson } from "ethers";
import { CliError } from "../../../scripts/credentials/cli-error";
import { KDF_MINIMUM } from "../../../scripts/credentials/keys";
import { keystoreCommand, type KeystoreIo } from "../../../scripts/credentials/keystore";

describe("scripts/credentials/keystore", function () {
  this.timeout(60_000);
  let dir: string;
  let out: string;

  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), "tt-keystore-"));
    out = "";
  });

  /** An io whose terminal answers `answers` in turn. */
  const io = (answers: string[]): KeystoreIo => ({
    stdout: (text) => (out += text),
    env: {},
    cwd: dir,
    prompt: async () => answers.shift() ?? "",
  });

  it("create asks for the password twice on a terminal and writes the keystore", async function () {
    const password = "a long enough password";
    await keystoreCommand(io([password, password]), { out: "k.json" }, ["create"]);
    const file = path.join(dir, "k.json");
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const wallet = await Wallet.fromEncryptedJson(readFileSync(file, "utf8"), password);
    expect(out).to.include(wallet.address).and.not.include(wallet.privateKey.slice(2));
  });

  it("create refuses two different answers, writing nothing", async function () {
    let caught: unknown;
    try {
      await keystoreCommand(io(["a long enough password", "another long password"]), { out: "k.json" }, ["create"]);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(CliError);
    expect((caught as Error).message).to.equal("the passwords differ");
    expect(existsSync(path.join(dir, "k.json"))).to.equal(false);
  });

  it("show refuses a keystore below the KDF minimum", async function () {
    const weak = await encryptKeystoreJson(new Wallet(Wallet.createRandom().privateKey), "pw", { scrypt: { N: 1024 } });
    writeFileSync(path.join(dir, "weak.json"), weak);
    let caught: unknown;
    try {
      await keystoreCommand(io([]), {}, ["show", "weak.json"]);
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.include(`weaker than the minimum N=${KDF_MINIMUM.scryptN}`);
    expect(out).to.equal("");
  });
});
