/**
 * The node's signing keys: a keyring of generations, each a P-256 key (ES256: tokens, VC-JOSE and
 * JsonWebSignature2020) and an Ed25519 key (Ed25519Signature2018, which the suites ask for). The newest
 * generation signs; every generation stays in the DID document so that what older keys signed keeps verifying.
 *
 * Where the keyring lives: in the environment (`TRADETRACE_INTEROP_KEYS`, the keyring's JSON, for deployments that
 * inject secrets), else in an encrypted keystore file (scrypt at the credentials tool's `KDF_MINIMUM`, AES-256-GCM,
 * mode 0600) unlocked with `TRADETRACE_INTEROP_PASSWORD`, else (demo and tests only, when asked) in memory. Private
 * keys are never printed or logged.
 */
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes, scryptSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { KDF_MINIMUM } from "../../scripts/credentials/keys";

export const KEYS_ENV = "TRADETRACE_INTEROP_KEYS";
export const PASSWORD_ENV = "TRADETRACE_INTEROP_PASSWORD";
export const KEYSTORE_FILE = "keystore.json";

export interface KeyGeneration {
  /** 1, 2, …: names the verification methods `#key-<n>` (P-256) and `#ed25519-<n>`. */
  n: number;
  created: string;
  p256: JsonWebKey;
  ed25519: JsonWebKey;
}

export interface Keyring {
  version: 1;
  generations: KeyGeneration[];
}

interface SealedKeystore {
  version: 1;
  kdf: "scrypt";
  kdfparams: { n: number; r: number; p: number; salt: string };
  cipher: "aes-256-gcm";
  iv: string;
  tag: string;
  ciphertext: string;
}

export class KeystoreError extends Error {}

function privateJwk(type: "ec" | "ed25519"): JsonWebKey {
  const { privateKey } =
    type === "ec" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
  return privateKey.export({ format: "jwk" });
}

export function newGeneration(n: number): KeyGeneration {
  return { n, created: new Date().toISOString(), p256: privateJwk("ec"), ed25519: privateJwk("ed25519") };
}

/** The public half of a private JWK. */
export function publicJwk(jwk: JsonWebKey): JsonWebKey {
  const { kty, crv, x, y } = jwk;
  return y === undefined ? { kty, crv, x } : { kty, crv, x, y };
}

export function currentGeneration(ring: Keyring): KeyGeneration {
  return ring.generations[ring.generations.length - 1];
}

/** A keyring with one more generation: the new keys sign from now on, the old ones stay for verification. */
export function rotated(ring: Keyring): Keyring {
  return { version: 1, generations: [...ring.generations, newGeneration(currentGeneration(ring).n + 1)] };
}

function isKeyring(value: unknown): value is Keyring {
  const ring = value as Keyring;
  return (
    typeof ring === "object" &&
    ring !== null &&
    ring.version === 1 &&
    Array.isArray(ring.generations) &&
    ring.generations.length > 0 &&
    ring.generations.every(
      (g) => Number.isInteger(g.n) && typeof g.p256?.d === "string" && typeof g.ed25519?.d === "string",
    )
  );
}

function deriveKey(password: string, params: SealedKeystore["kdfparams"]): Buffer {
  return scryptSync(password, Buffer.from(params.salt, "base64"), 32, {
    N: params.n,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.n * params.r + 1024 * 1024,
  });
}

export function seal(ring: Keyring, password: string): SealedKeystore {
  const kdfparams = { n: KDF_MINIMUM.scryptN, r: KDF_MINIMUM.scryptR, p: 1, salt: randomBytes(16).toString("base64") };
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(password, kdfparams), iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(ring), "utf8"), cipher.final()]);
  return {
    version: 1,
    kdf: "scrypt",
    kdfparams,
    cipher: "aes-256-gcm",
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
}

export function unseal(sealed: SealedKeystore, password: string): Keyring {
  if (sealed.kdf !== "scrypt" || sealed.cipher !== "aes-256-gcm") throw new KeystoreError("unknown keystore format");
  if (!(sealed.kdfparams.n >= KDF_MINIMUM.scryptN) || !(sealed.kdfparams.r >= KDF_MINIMUM.scryptR)) {
    throw new KeystoreError("the keystore's scrypt parameters are weaker than the minimum");
  }
  const decipher = createDecipheriv(
    "aes-256-gcm",
    deriveKey(password, sealed.kdfparams),
    Buffer.from(sealed.iv, "base64"),
  );
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  let text: string;
  try {
    text = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new KeystoreError("wrong password for the interop keystore (or the file was altered)");
  }
  const ring = JSON.parse(text) as unknown;
  if (!isKeyring(ring)) throw new KeystoreError("the interop keystore holds no keyring");
  return ring;
}

export function writeKeystore(file: string, ring: Keyring, password: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(seal(ring, password), null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export interface KeySource {
  /** The data directory; the keystore is `<dataDir>/keystore.json`. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Keep fresh keys in memory when no keystore and no password are given (demo runs only). */
  ephemeral?: boolean;
}

/** The node's keyring, from the environment, the keystore (created at first start), or memory. */
export function loadKeyring(source: KeySource): { ring: Keyring; persist?: (ring: Keyring) => void } {
  const fromEnv = source.env[KEYS_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    let ring: unknown;
    try {
      ring = JSON.parse(fromEnv);
    } catch {
      throw new KeystoreError(`${KEYS_ENV} is not JSON`);
    }
    if (!isKeyring(ring)) throw new KeystoreError(`${KEYS_ENV} holds no keyring`);
    return { ring };
  }
  const file = path.join(source.dataDir, KEYSTORE_FILE);
  const password = source.env[PASSWORD_ENV];
  if (password === undefined || password === "") {
    if (source.ephemeral === true && !existsSync(file))
      return { ring: { version: 1, generations: [newGeneration(1)] } };
    throw new KeystoreError(`set ${PASSWORD_ENV} to unlock (or create) ${file}, or give the keyring in ${KEYS_ENV}`);
  }
  if (password.length < 12) throw new KeystoreError(`${PASSWORD_ENV} must have at least 12 characters`);
  const persist = (ring: Keyring): void => writeKeystore(file, ring, password);
  if (!existsSync(file)) {
    const ring: Keyring = { version: 1, generations: [newGeneration(1)] };
    persist(ring);
    return { ring, persist };
  }
  return { ring: unseal(JSON.parse(readFileSync(file, "utf8")) as SealedKeystore, password), persist };
}
