// CertificateOfOriginRegistry: certificates of origin; revocation or supersession of a linked certificate
// re-evaluates every shipment it was linked to.
import { Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  CertificateOfOriginIssued,
  RecordRevoked,
  RecordSuperseded,
  SignedCredentialAnchored,
} from "../generated/CertificateOfOriginRegistry/CertificateOfOriginRegistry";
import { CERTIFICATE_OF_ORIGIN, SignedAnchor, recordSignedAnchoring, retireSignedAnchoring } from "./signedAnchoring";
import { CertificateOfOrigin } from "../generated/schema";
import { evaluateShipment } from "./risk";
import { ACTIVE, REVOKED, SUPERSEDED, ascii, isZero } from "./util";

export function handleCertificateOfOriginIssued(event: CertificateOfOriginIssued): void {
  let c = event.params.certificate;
  let certificate = new CertificateOfOrigin(event.params.recordId);
  certificate.contentHash = event.params.contentHash;
  certificate.issuer = event.params.issuer;
  certificate.certificateNumber = c.certificateNumber;
  certificate.exporter = c.exporter;
  certificate.importer = c.importer;
  certificate.countryOfOrigin = ascii(c.countryOfOrigin);
  certificate.htsLines = c.htsLines;
  certificate.exportDate = c.exportDate;
  certificate.expiresAt = c.expiresAt;
  certificate.uri = c.uri;
  certificate.status = ACTIVE;
  if (!isZero(event.params.supersedes)) certificate.supersedes = event.params.supersedes;
  certificate.issuedAt = event.block.timestamp;
  certificate.issuedAtBlock = event.block.number;
  certificate.linkedShipments = new Array<Bytes>();
  certificate.save();
}

function invalidate(id: Bytes, status: string, event: ethereum.Event): CertificateOfOrigin | null {
  let certificate = CertificateOfOrigin.load(id);
  if (certificate == null) return null;
  certificate.status = status;
  certificate.invalidatedAt = event.block.timestamp;
  certificate.invalidatedAtBlock = event.block.number;
  return certificate;
}

function reevaluate(certificate: CertificateOfOrigin, event: ethereum.Event): void {
  let shipments = certificate.linkedShipments;
  for (let i = 0; i < shipments.length; i++) evaluateShipment(shipments[i], event);
}

export function handleRecordRevoked(event: RecordRevoked): void {
  let certificate = invalidate(event.params.recordId, REVOKED, event);
  if (certificate == null) return;
  certificate.revocationReason = event.params.reason;
  certificate.save();
  reevaluate(certificate, event);
  retireSignedAnchoring(event.params.recordId, event);
}

export function handleRecordSuperseded(event: RecordSuperseded): void {
  let certificate = invalidate(event.params.recordId, SUPERSEDED, event);
  if (certificate == null) return;
  certificate.successor = event.params.successorId;
  certificate.save();
  reevaluate(certificate, event);
  retireSignedAnchoring(event.params.recordId, event);
}

export function handleSignedCredentialAnchored(event: SignedCredentialAnchored): void {
  let p = event.params;
  let a = new SignedAnchor(
    p.recordId,
    p.keyIdHash,
    p.workflowInstance,
    p.issuer,
    p.payloadHash,
    p.recordIndex.toI32(),
    p.payload,
  );
  recordSignedAnchoring(CERTIFICATE_OF_ORIGIN, a, event);
}
