/** The GraphQL of the actor, mill test report and certificate of origin pages. */

/** Rows of each list on a record page (documents issued, shipments, allocations): the newest first. */
export const RECORD_PAGE = 100;

export const ACTOR_QUERY = `query ActorPage($id: ID!, $address: Bytes!, $first: Int!) {
  actor(id: $id) {
    id did country roleNames trustedRoleNames validFrom validUntil credentialRevoked credentialClearedAt
    suspended onboardedAt
    issuer { id active }
    currentCredential { id status }
    millTestReports(first: $first, orderBy: issuedAt, orderDirection: desc) {
      id certificateNumber heatNumber derived totalKg utilizationBps status issuedAt
    }
    certificatesOfOrigin(first: $first, orderBy: issuedAt, orderDirection: desc) {
      id certificateNumber countryOfOrigin status issuedAt
    }
  }
  shipments(where: { parties_contains: [$address] }, first: $first, orderBy: filedAt, orderDirection: desc) {
    id billOfLading status riskScore filedAt portOfEntry
    importer { id did }
  }
}`;

export interface ActorAnswer {
  actor: {
    id: string;
    did: string;
    country: string;
    roleNames: string[];
    trustedRoleNames: string[];
    validFrom: string;
    validUntil: string;
    credentialRevoked: boolean;
    credentialClearedAt: string | null;
    suspended: boolean;
    onboardedAt: string;
    issuer: { id: string; active: boolean };
    currentCredential: { id: string; status: string };
    millTestReports: {
      id: string;
      certificateNumber: string;
      heatNumber: string;
      derived: boolean;
      totalKg: string;
      utilizationBps: number;
      status: string;
      issuedAt: string;
    }[];
    certificatesOfOrigin: {
      id: string;
      certificateNumber: string;
      countryOfOrigin: string;
      status: string;
      issuedAt: string;
    }[];
  } | null;
  shipments: {
    id: string;
    billOfLading: string;
    status: string;
    riskScore: number;
    filedAt: string;
    portOfEntry: string;
    importer: { id: string; did: string };
  }[];
}

/** Chemistry fields of a report, in the order a mill test report prints them. */
export const CHEMISTRY = [
  ["carbonPpm", "C"],
  ["manganesePpm", "Mn"],
  ["phosphorusPpm", "P"],
  ["sulfurPpm", "S"],
  ["siliconPpm", "Si"],
  ["aluminumPpm", "Al"],
  ["copperPpm", "Cu"],
  ["nickelPpm", "Ni"],
  ["chromiumPpm", "Cr"],
  ["molybdenumPpm", "Mo"],
  ["tinPpm", "Sn"],
  ["niobiumPpm", "Nb"],
  ["vanadiumPpm", "V"],
  ["titaniumPpm", "Ti"],
  ["boronPpm", "B"],
  ["nitrogenPpm", "N"],
  ["calciumPpm", "Ca"],
  ["leadPpm", "Pb"],
  ["carbonEquivalentPpm", "CE"],
] as const;

/** Mechanical properties: field, label, unit of the stored hundredths. */
export const MECHANICS = [
  ["yieldStrength", "Yield strength", "MPa"],
  ["tensileStrength", "Tensile strength", "MPa"],
  ["elongation", "Elongation", "%"],
  ["reductionOfArea", "Reduction of area", "%"],
  ["charpyEnergy", "Charpy impact energy", "J"],
  ["hardness", "Hardness", ""],
] as const;

export const MTR_QUERY = `query MillTestReportPage($id: ID!, $first: Int!) {
  millTestReport(id: $id) {
    id contentHash certificateNumber heatNumber derived productStandard grade countryOfMeltAndPour
    meltAndPourCountries countryOfManufacture totalKg consumedKg remainingKg utilizationBps expiresAt uri status
    issuedAt issuedAtBlock invalidatedAt revocationReason hardnessScale
    ${CHEMISTRY.map(([f]) => f).join(" ")}
    ${MECHANICS.map(([f]) => f).join(" ")}
    issuer { id did }
    heat { heatNumber countryOfMeltAndPour }
    supersedes { id certificateNumber }
    successor { id certificateNumber }
    inputs(orderBy: id) { kg input { id certificateNumber } }
    products(first: $first, orderBy: timestamp, orderDirection: desc) { kg timestamp product { id certificateNumber } }
    allocations(first: $first, orderBy: linkedAt, orderDirection: desc) {
      kg active lineIndex linkedAt line { id } shipment { id billOfLading status }
    }
  }
}`;

export type MtrRecord = Record<string, unknown> & {
  id: string;
  contentHash: string;
  certificateNumber: string;
  heatNumber: string;
  derived: boolean;
  productStandard: string;
  grade: string;
  countryOfMeltAndPour: string;
  meltAndPourCountries: string[];
  countryOfManufacture: string;
  totalKg: string;
  consumedKg: string;
  remainingKg: string;
  utilizationBps: number;
  expiresAt: string;
  uri: string;
  status: string;
  issuedAt: string;
  issuedAtBlock: string;
  invalidatedAt: string | null;
  revocationReason: string | null;
  hardnessScale: string | null;
  issuer: { id: string; did: string };
  heat: { heatNumber: string; countryOfMeltAndPour: string } | null;
  supersedes: { id: string; certificateNumber: string } | null;
  successor: { id: string; certificateNumber: string } | null;
  inputs: { kg: string; input: { id: string; certificateNumber: string } }[];
  products: { kg: string; timestamp: string; product: { id: string; certificateNumber: string } }[];
  allocations: {
    kg: string;
    active: boolean;
    lineIndex: number;
    linkedAt: string;
    line: { id: string };
    shipment: { id: string; billOfLading: string; status: string };
  }[];
};

export interface MtrAnswer {
  millTestReport: MtrRecord | null;
}

export const COO_QUERY = `query CertificateOfOriginPage($id: ID!, $first: Int!) {
  certificateOfOrigin(id: $id) {
    id contentHash certificateNumber exporter importer countryOfOrigin htsLines exportDate expiresAt uri status
    issuedAt issuedAtBlock invalidatedAt revocationReason
    issuer { id did }
    supersedes { id certificateNumber }
    successor { id certificateNumber }
    links(first: $first, orderBy: linkedAt, orderDirection: desc) {
      active linkedAt unlinkedAt invalidatedWhileLinked shipment { id billOfLading status }
    }
  }
}`;

/** DIDs of the parties a record names by address. */
export const PARTIES_QUERY = `query Parties($ids: [Bytes!]!) {
  actors(where: { id_in: $ids }, first: 100) { id did }
}`;

export interface CooAnswer {
  certificateOfOrigin: {
    id: string;
    contentHash: string;
    certificateNumber: string;
    exporter: string;
    importer: string;
    countryOfOrigin: string;
    htsLines: string[];
    exportDate: string;
    expiresAt: string;
    uri: string;
    status: string;
    issuedAt: string;
    issuedAtBlock: string;
    invalidatedAt: string | null;
    revocationReason: string | null;
    issuer: { id: string; did: string };
    supersedes: { id: string; certificateNumber: string } | null;
    successor: { id: string; certificateNumber: string } | null;
    links: {
      active: boolean;
      linkedAt: string;
      unlinkedAt: string | null;
      invalidatedWhileLinked: boolean;
      shipment: { id: string; billOfLading: string; status: string };
    }[];
  } | null;
}

export interface PartiesAnswer {
  actors: { id: string; did: string }[];
}
