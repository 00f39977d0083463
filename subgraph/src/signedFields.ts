// Re-derives, from the issuer-signed payload of a VC-JOSE credential, the record fields a relayer supplied with
// it (docs/interop-anchoring.md, option c): the chain binds the record to the payload; this compares the fields,
// with the rules of the credentials tool's mapping (scripts/credentials/mtr.ts, coo.ts). A field the payload gives
// in a form this code does not convert (a country name, a weight in pounds) is listed as unchecked, never as equal.
import { BigInt, Bytes, JSONValue, JSONValueKind, TypedMap, json } from "@graphprotocol/graph-ts";
import { CertificateOfOrigin, MillTestReport } from "../generated/schema";

/** The outcome of a comparison: fields that differ ("field: record X / signed Y") and fields not checked. */
export class FieldCheck {
  mismatched: Array<string> = new Array<string>();
  unchecked: Array<string> = new Array<string>();

  differs(field: string, recorded: string, signed: string): void {
    if (recorded != signed) this.mismatched.push(field + ": record " + recorded + " / signed " + signed);
  }
}

type JsonObject = TypedMap<string, JSONValue>;

function member(obj: JsonObject | null, key: string): JSONValue | null {
  if (obj == null) return null;
  let value = obj.get(key);
  return value == null || value.kind == JSONValueKind.NULL ? null : value;
}

function objectAt(obj: JsonObject | null, key: string): JsonObject | null {
  let value = member(obj, key);
  return value != null && value.kind == JSONValueKind.OBJECT ? value.toObject() : null;
}

/** What the readers below answer for a member that is absent or of another type. */
const ABSENT = "(none)";

function stringAt(obj: JsonObject | null, key: string): string {
  let value = member(obj, key);
  return value != null && value.kind == JSONValueKind.STRING ? value.toString() : ABSENT;
}

/** A JSON number or string as its text (numbers keep their literal text, as graph-node stores it). */
function textAt(obj: JsonObject | null, key: string): string {
  let value = member(obj, key);
  if (value == null) return ABSENT;
  if (value.kind == JSONValueKind.STRING) return value.toString();
  if (value.kind == JSONValueKind.NUMBER) return changetype<string>(value.data as u32);
  return ABSENT;
}

/** The payload as a JSON object, or null. */
function rootOf(payload: Bytes): JsonObject | null {
  let parsed = json.try_fromBytes(payload);
  if (parsed.isError || parsed.value.kind != JSONValueKind.OBJECT) return null;
  return parsed.value.toObject();
}

/** The credential of a payload: the payload itself (VC 2.0 VC-JOSE) or its `vc` claim (VC 1.1 JWT). */
function credentialOf(root: JsonObject | null): JsonObject | null {
  let vc = objectAt(root, "vc");
  return vc != null ? vc : root;
}

/** Whether the credential expires: validUntil (2.0), expirationDate (1.1) or the JWT's exp claim. */
function expires(root: JsonObject | null, credential: JsonObject | null): boolean {
  return (
    member(credential, "validUntil") != null ||
    member(credential, "expirationDate") != null ||
    member(root, "exp") != null
  );
}

/** Kilograms of a decimal `value` in `unitCode` (KGM or TNE, rounded half up as units.ts does), or -1. */
export function kilograms(value: string, unitCode: string): BigInt {
  let none = BigInt.fromI32(-1);
  let factor: i32 = unitCode == "KGM" || unitCode == "KG" ? 1 : unitCode == "TNE" ? 1000 : 0;
  if (factor == 0) return none;
  let parts = value.split(".");
  if (parts.length > 2 || parts[0].length == 0) return none;
  let digits = parts.length == 2 ? parts[0] + parts[1] : parts[0];
  for (let i = 0; i < digits.length; i++) {
    let c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return none;
  }
  let scale = parts.length == 2 ? parts[1].length : 0;
  let scaled = BigInt.fromString(digits).times(BigInt.fromI32(factor));
  let divisor = BigInt.fromI32(10).pow(<u8>scale);
  // Half up: (2 x scaled + divisor) / (2 x divisor).
  let two = BigInt.fromI32(2);
  return scaled.times(two).plus(divisor).div(divisor.times(two));
}

/** Compares mill test report `report`, record `index` of the signed `payload`, with what the payload says. */
export function checkMillTestReport(report: MillTestReport, payload: Bytes, index: i32): FieldCheck {
  let check = new FieldCheck();
  let root = rootOf(payload);
  let credential = credentialOf(root);
  let subject = objectAt(credential, "credentialSubject");
  let list = member(subject, "inspections");
  if (list == null || list.kind != JSONValueKind.ARRAY) {
    check.mismatched.push("payload: no credentialSubject.inspections");
    return check;
  }
  let inspections = list.toArray();
  if (index >= inspections.length || inspections[index].kind != JSONValueKind.OBJECT) {
    check.mismatched.push("recordIndex: the payload has no inspection " + index.toString());
    return check;
  }
  let inspection = inspections[index].toObject();
  let signedNumber = stringAt(subject, "certificateNumber");
  if (inspections.length > 1) signedNumber += "/" + (index + 1).toString();
  check.differs("certificateNumber", report.certificateNumber, signedNumber);
  check.differs("heatNumber", report.heatNumber, stringAt(inspection, "heatNumber"));
  let spec = objectAt(subject, "productSpecification");
  check.differs("productStandard", report.productStandard, stringAt(spec, "standard"));
  check.differs("grade", report.grade, stringAt(spec, "grade"));
  checkCountry(
    check,
    "countryOfMeltAndPour",
    report.countryOfMeltAndPour,
    stringAt(inspection, "countryOfMeltAndPour"),
  );
  checkCountry(
    check,
    "countryOfManufacture",
    report.countryOfManufacture,
    stringAt(inspection, "countryOfManufacture"),
  );
  let weight = objectAt(inspection, "totalWeight");
  let value = textAt(weight, "value");
  let unit = stringAt(weight, "unitCode");
  let kg = kilograms(value, unit);
  if (kg.lt(BigInt.zero())) check.unchecked.push("totalKg");
  else check.differs("totalKg", report.totalKg.toString(), kg.toString());
  if (expires(root, credential)) check.unchecked.push("expiresAt");
  else check.differs("expiresAt", report.expiresAt.toString(), "0");
  check.unchecked.push("chemistry");
  check.unchecked.push("mechanics");
  return check;
}

/** A country the payload gives as an alpha-2 code is compared; a name is left unchecked. */
function checkCountry(check: FieldCheck, field: string, recorded: string, signed: string): void {
  if (signed.length == 2 && signed == signed.toUpperCase()) check.differs(field, recorded, signed);
  else check.unchecked.push(field);
}

/** Compares certificate of origin `certificate` with its signed `payload`. */
export function checkCertificateOfOrigin(certificate: CertificateOfOrigin, payload: Bytes): FieldCheck {
  let check = new FieldCheck();
  let root = rootOf(payload);
  let credential = credentialOf(root);
  if (credential == null) {
    check.mismatched.push("payload: not a JSON object");
    return check;
  }
  // The credential id is the certificate number; a vc-jwt may carry it as the jti claim only.
  let id = stringAt(credential, "id");
  check.differs("certificateNumber", certificate.certificateNumber, id != ABSENT ? id : stringAt(root, "jti"));
  if (expires(root, credential)) check.unchecked.push("expiresAt");
  else check.differs("expiresAt", certificate.expiresAt.toString(), "0");
  check.unchecked.push("exporter");
  check.unchecked.push("importer");
  check.unchecked.push("countryOfOrigin");
  check.unchecked.push("htsLines");
  check.unchecked.push("exportDate");
  return check;
}
