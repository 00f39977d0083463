/**
 * The GraphQL the lineage picture sends: a report's inputs four levels deep (pipe ← coil ← slab ← heat report),
 * reached from a shipment line's active allocations, a report id or a certificate number. Depth is fixed in the
 * query text because GraphQL has no recursion; four levels cover the deepest chain the registries produce today.
 */

const REPORT_FIELDS = `
  id certificateNumber heatNumber derived productStandard grade totalKg remainingKg status
  countryOfMeltAndPour meltAndPourCountries
  issuer { id did }
  heat { id heatNumber countryOfMeltAndPour }`;

/** `inputs { kg input { …fields, inputs { … } } }` nested `depth` times. */
function inputsOf(depth: number): string {
  if (depth === 0) return "";
  return `inputs(orderBy: id) { kg input { ...LineageReport ${inputsOf(depth - 1)} } }`;
}

export const LINEAGE_DEPTH = 4;

const FRAGMENT = `fragment LineageReport on MillTestReport {${REPORT_FIELDS}\n}`;

/** The lineage behind one shipment line: the reports allocated to it and their inputs. */
export const LINE_LINEAGE_QUERY = `query LineLineage($id: ID!) {
  shipmentLine(id: $id) {
    id lineIndex hts declaredKg allocatedKg originCountry current
    shipment { id billOfLading }
    allocations(where: { active: true }, orderBy: id) {
      kg
      millTestReport { ...LineageReport ${inputsOf(LINEAGE_DEPTH)} }
    }
  }
}
${FRAGMENT}`;

/** The lineage behind one report (by record id). */
export const REPORT_LINEAGE_QUERY = `query ReportLineage($id: ID!) {
  millTestReport(id: $id) { ...LineageReport ${inputsOf(LINEAGE_DEPTH)} }
}
${FRAGMENT}`;

/** Reports and certificates of origin with a certificate number; a certificate leads to its shipments' lines. */
export const NUMBER_LOOKUP_QUERY = `query LineageByNumber($number: String!) {
  millTestReports(where: { certificateNumber: $number }, first: 10, orderBy: issuedAt) { id issuer { did } status }
  certificateOfOrigins(where: { certificateNumber: $number }, first: 10, orderBy: issuedAt) {
    id status issuer { did }
    links(where: { active: true }, first: 50) {
      shipment { id billOfLading lines(where: { current: true }, orderBy: lineIndex) { id lineIndex hts declaredKg } }
    }
  }
}`;

export interface LineageReport {
  id: string;
  certificateNumber: string;
  heatNumber: string;
  derived: boolean;
  productStandard: string;
  grade: string;
  totalKg: string;
  remainingKg: string;
  status: string;
  countryOfMeltAndPour: string;
  meltAndPourCountries: string[];
  issuer: { id: string; did: string };
  heat: { id: string; heatNumber: string; countryOfMeltAndPour: string } | null;
  inputs?: { kg: string; input: LineageReport }[];
}

export interface LineLineage {
  shipmentLine: {
    id: string;
    lineIndex: number;
    hts: string;
    declaredKg: string;
    allocatedKg: string;
    originCountry: string;
    current: boolean;
    shipment: { id: string; billOfLading: string };
    allocations: { kg: string; millTestReport: LineageReport }[];
  } | null;
}

export interface ReportLineage {
  millTestReport: LineageReport | null;
}

export interface NumberLookup {
  millTestReports: { id: string; issuer: { did: string }; status: string }[];
  certificateOfOrigins: {
    id: string;
    status: string;
    issuer: { did: string };
    links: {
      shipment: {
        id: string;
        billOfLading: string;
        lines: { id: string; lineIndex: number; hts: string; declaredKg: string }[];
      };
    }[];
  }[];
}
