/**
 * The node's TLS certificate: self-signed for `localhost` and 127.0.0.1, made with /usr/bin/openssl at first start
 * and kept in `<dataDir>/tls/` (key mode 0600). The suites accept it with newman's `insecure`; a deployment puts its
 * own certificate there.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export function tlsCredentials(dataDir: string, hostname = "localhost"): { key: Buffer; cert: Buffer } {
  const dir = path.join(dataDir, "tls");
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "825",
        "-subj",
        `/CN=${hostname}`,
        "-addext",
        `subjectAltName=DNS:${hostname},DNS:localhost,IP:127.0.0.1`,
      ],
      { stdio: "ignore" },
    );
    chmodSync(keyFile, 0o600);
  }
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}
