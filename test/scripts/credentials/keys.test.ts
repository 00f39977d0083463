import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet, encryptKeystoreJson } from "ethers";
import { CliError } from "../../../scripts/credentials/cli-error";
import { KDF_MINIMUM, PASSWORD_ENV, loadWallet } from "../../../scripts/credentials/keys";
import { messageOf } from "../../../lib/errors";

/** A geth-style pbkdf2 keystore (ethers writes only scrypt ones) of `wallet` with `iterations`. */
async function pbkdf2Keystore(wallet: Wallet, iterations: number): Promise<string> {
  const json = JSON.parse(await encryptKeystoreJson(wallet, "pw", { scrypt: { N: 1024 } })) as {
    Crypto: { kdf: string; kdfparams: Record<string, unknown> };
  };
  json.Crypto.kdf = "pbkdf2";
  json.Crypto.kdfparams = { c: iterations, dklen: 32, prf: "hmac-sha256", salt: "00".repeat(32) };
  return JSON.stringify(json);
}

describe("scripts/credentials/keys", function () {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const dir = mkdtempSync(path.join(tmpdir(), "tt-keys-"));
  const load = (json: string) => {
    writeFileSync(path.join(dir, "k.json"), json);
    return loadWallet({ keystore: "k.json", cwd: dir }, { [PASSWORD_ENV]: "pw" });
  };

  async function refusal(json: string): Promise<string> {
    try {
      await load(json);
    } catch (error) {
      expect(error).to.be.instanceOf(CliError);
      return messageOf(error);
    }
    throw new Error("expected the keystore to be refused");
  }

  it("documents its minimum in one place: scrypt N >= 2^17 (r >= 8), pbkdf2 >= 262144 iterations", function () {
    expect(KDF_MINIMUM).to.deep.equal({ scryptN: 131_072, scryptR: 8, pbkdf2Iterations: 262_144 });
  });

  it("refuses a scrypt keystore weaker than the minimum before trying the password", async function () {
    const weak = await encryptKeystoreJson(wallet, "pw", { scrypt: { N: 1024 } });
    expect(await refusal(weak)).to.equal(
      "keystore k.json uses scrypt N=1024, r=8, weaker than the minimum N=131072, r=8: re-encrypt the key with `keystore import` (see --help)",
    );
  });

  it("refuses a pbkdf2 keystore with too few iterations, and an unknown KDF", async function () {
    expect(await refusal(await pbkdf2Keystore(wallet, 10_240))).to.include(
      "uses pbkdf2 with 10240 iterations, weaker than the minimum 262144",
    );
    const unknown = JSON.parse(await pbkdf2Keystore(wallet, 262_144)) as { Crypto: { kdf: string } };
    unknown.Crypto.kdf = "md5";
    expect(await refusal(JSON.stringify(unknown))).to.include('uses the unknown KDF "md5"');
  });

  it("opens a keystore at the minimum", async function () {
    this.timeout(60_000);
    const strong = await encryptKeystoreJson(wallet, "pw", { scrypt: { N: KDF_MINIMUM.scryptN } });
    expect((await load(strong)).address).to.equal(wallet.address);
  });
});
