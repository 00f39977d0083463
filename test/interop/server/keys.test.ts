import { expect } from "chai";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  KEYSTORE_FILE,
  KeystoreError,
  KEYS_ENV,
  PASSWORD_ENV,
  loadKeyring,
  newGeneration,
  seal,
  unseal,
} from "../../../interop/server/keys";
import { freshDataDir } from "../helpers";

describe("interop node: keys", function () {
  const PASSWORD = "correct horse battery";

  it("creates an encrypted keystore (mode 0600) at first start and reopens it with the password", () => {
    const dataDir = freshDataDir();
    const first = loadKeyring({ dataDir, env: { [PASSWORD_ENV]: PASSWORD } });
    const file = path.join(dataDir, KEYSTORE_FILE);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).to.not.include(first.ring.generations[0].p256.d as string);
    expect(text).to.not.include(first.ring.generations[0].ed25519.d as string);
    expect(loadKeyring({ dataDir, env: { [PASSWORD_ENV]: PASSWORD } }).ring).to.deep.equal(first.ring);
  });

  it("refuses a wrong password, a missing password, a short one and a tampered file", () => {
    const dataDir = freshDataDir();
    loadKeyring({ dataDir, env: { [PASSWORD_ENV]: PASSWORD } });
    expect(() => loadKeyring({ dataDir, env: { [PASSWORD_ENV]: "another password" } })).to.throw(
      KeystoreError,
      /wrong password/,
    );
    expect(() => loadKeyring({ dataDir, env: {} })).to.throw(KeystoreError, new RegExp(PASSWORD_ENV));
    expect(() => loadKeyring({ dataDir: freshDataDir(), env: { [PASSWORD_ENV]: "short" } })).to.throw(
      KeystoreError,
      /12 characters/,
    );
    const file = path.join(dataDir, KEYSTORE_FILE);
    const sealed = JSON.parse(readFileSync(file, "utf8")) as { ciphertext: string };
    sealed.ciphertext = Buffer.from("x".repeat(40)).toString("base64");
    writeFileSync(file, JSON.stringify(sealed));
    expect(() => loadKeyring({ dataDir, env: { [PASSWORD_ENV]: PASSWORD } })).to.throw(KeystoreError);
  });

  it("refuses a keystore whose scrypt parameters are weaker than the credentials tool's minimum", () => {
    const sealed = seal({ version: 1, generations: [newGeneration(1)] }, PASSWORD);
    expect(() => unseal({ ...sealed, kdfparams: { ...sealed.kdfparams, n: 1024 } }, PASSWORD)).to.throw(
      KeystoreError,
      /weaker/,
    );
  });

  it("takes the keyring from the environment instead, and memory keys only when asked", () => {
    const ring = { version: 1, generations: [newGeneration(1)] };
    expect(loadKeyring({ dataDir: freshDataDir(), env: { [KEYS_ENV]: JSON.stringify(ring) } }).ring).to.deep.equal(
      ring,
    );
    expect(() => loadKeyring({ dataDir: freshDataDir(), env: { [KEYS_ENV]: "{}" } })).to.throw(KeystoreError);
    expect(loadKeyring({ dataDir: freshDataDir(), env: {}, ephemeral: true }).persist).to.equal(undefined);
  });
});
