// Rules on linked documents: DOCUMENT_REVOKED, MELT_POUR_MISMATCH and COO_MISMATCH.
import { BigInt } from "@graphprotocol/graph-ts";
import { CertificateOfOrigin, MillTestReport, ShipmentLine } from "../../generated/schema";
import { ACTIVE } from "../util";
import { Finding } from "./finding";
import { COO_MISMATCH, DOCUMENT_REVOKED, MELT_POUR_MISMATCH } from "./table";

/** Why a linked document is no longer good at `now` ("revoked", "superseded", "expired"), or "" if it is. */
export function documentProblem(status: string, expiresAt: BigInt, now: BigInt): string {
  if (status != ACTIVE) return status.toLowerCase();
  if (!expiresAt.isZero() && expiresAt.lt(now)) return "expired";
  return "";
}

/** DOCUMENT_REVOKED for a mill test report that is no longer good at `now`. */
export function revokedReport(report: MillTestReport, now: BigInt): Finding | null {
  let problem = documentProblem(report.status, report.expiresAt, now);
  if (problem == "") return null;
  let f = new Finding(
    DOCUMENT_REVOKED,
    "doc:" + report.id.toHexString(),
    "mill test report " + report.certificateNumber + " is " + problem,
  );
  f.document = report.id;
  return f;
}

/** DOCUMENT_REVOKED for a certificate of origin that is no longer good at `now`. */
export function revokedCertificate(certificate: CertificateOfOrigin, now: BigInt): Finding | null {
  let problem = documentProblem(certificate.status, certificate.expiresAt, now);
  if (problem == "") return null;
  let f = new Finding(
    DOCUMENT_REVOKED,
    "doc:" + certificate.id.toHexString(),
    "certificate of origin " + certificate.certificateNumber + " is " + problem,
  );
  f.document = certificate.id;
  return f;
}

/** MELT_POUR_MISMATCH: `line` declares another origin than `melt`, a melt country of its allocated `report`. */
export function meltPourMismatch(report: MillTestReport, line: ShipmentLine, melt: string): Finding | null {
  if (melt == line.originCountry) return null;
  let f = new Finding(
    MELT_POUR_MISMATCH,
    "doc:" + report.id.toHexString() + ":line:" + line.lineIndex.toString(),
    "line " +
      line.lineIndex.toString() +
      " declares origin " +
      line.originCountry +
      " but mill test report " +
      report.certificateNumber +
      " was melted and poured in " +
      melt,
  );
  f.document = report.id;
  f.lineIndex = line.lineIndex;
  return f;
}

/** COO_MISMATCH: the certificate names another country than the first declared origin that differs from it. */
export function cooMismatch(certificate: CertificateOfOrigin, origins: Array<string>): Finding | null {
  for (let o = 0; o < origins.length; o++) {
    if (origins[o] == certificate.countryOfOrigin) continue;
    let f = new Finding(
      COO_MISMATCH,
      "doc:" + certificate.id.toHexString(),
      "certificate of origin " +
        certificate.certificateNumber +
        " names " +
        certificate.countryOfOrigin +
        ", the filing declares " +
        origins[o],
    );
    f.document = certificate.id;
    return f;
  }
  return null;
}
