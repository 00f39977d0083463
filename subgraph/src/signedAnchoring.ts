// SignedCredentialAnchored (both document registries): the record's signed payload, key and workflow instance, the
// comparison of the relayer's fields with the payload, and the pouch.
import { Address, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { CertificateOfOrigin, MillTestReport, SignedAnchoring } from "../generated/schema";
import { CERTIFICATE_OF_ORIGIN, MILL_TEST_REPORT, addToPouch, removeFromPouch } from "./pouch";
import { FieldCheck, checkCertificateOfOrigin, checkMillTestReport } from "./signedFields";

/** The parameters of SignedCredentialAnchored, the same in both registries. */
export class SignedAnchor {
  constructor(
    public recordId: Bytes,
    public keyIdHash: Bytes,
    public workflowInstance: Bytes,
    public issuer: Address,
    public payloadHash: Bytes,
    public recordIndex: i32,
    public payload: Bytes,
  ) {}
}

/** Records the anchoring of `kind` ("MILL_TEST_REPORT" or "CERTIFICATE_OF_ORIGIN") at `event`. */
export function recordSignedAnchoring(kind: string, a: SignedAnchor, event: ethereum.Event): void {
  let anchoring = new SignedAnchoring(a.recordId);
  anchoring.kind = kind;
  anchoring.issuer = a.issuer;
  anchoring.key = a.keyIdHash;
  anchoring.payloadHash = a.payloadHash;
  anchoring.payload = a.payload.toString();
  anchoring.recordIndex = a.recordIndex;
  anchoring.pouch = a.workflowInstance;
  anchoring.submittedBy = event.transaction.from;
  anchoring.anchoredAt = event.block.timestamp;
  let check = new FieldCheck();
  if (kind == MILL_TEST_REPORT) {
    anchoring.millTestReport = a.recordId;
    let report = MillTestReport.load(a.recordId);
    if (report != null) check = checkMillTestReport(report, a.payload, a.recordIndex);
  } else {
    anchoring.certificateOfOrigin = a.recordId;
    let certificate = CertificateOfOrigin.load(a.recordId);
    if (certificate != null) check = checkCertificateOfOrigin(certificate, a.payload);
  }
  anchoring.active = true;
  anchoring.fieldsMatch = check.mismatched.length == 0;
  anchoring.mismatchedFields = check.mismatched;
  anchoring.uncheckedFields = check.unchecked;
  anchoring.save();
  addToPouch(anchoring, check, event);
}

/** A revoked or superseded record no longer fills its pouch (its mismatch, if any, stays on record). */
export function retireSignedAnchoring(recordId: Bytes, event: ethereum.Event): void {
  let anchoring = SignedAnchoring.load(recordId);
  if (anchoring == null || !anchoring.active) return;
  anchoring.active = false;
  anchoring.save();
  removeFromPouch(anchoring, event);
}

export { CERTIFICATE_OF_ORIGIN, MILL_TEST_REPORT };
