/**
 * The GraphQL behind the charts. The subgraph has no aggregate entities yet (issue #21 adds timeseries), so each
 * chart asks for one bounded page in a time window, newest first, and the page says when the window held more
 * than the page: nothing scans every entity.
 */

/** Rows per chart query: the page the chart draws from. */
export const CHART_PAGE = 1000;

/** Active allocations of mill test reports to shipment lines linked since `$since`, with the report's melt country. */
export const TONNAGE_QUERY = `query TonnageByMeltCountry($since: BigInt!, $first: Int!) {
  allocations(where: { active: true, linkedAt_gte: $since }, orderBy: linkedAt, orderDirection: desc, first: $first) {
    kg
    linkedAt
    millTestReport { countryOfMeltAndPour }
  }
}`;

/** Mill test reports issued since `$since` with how much of them is used. */
export const UTILISATION_QUERY = `query MillTestReportUtilisation($since: BigInt!, $first: Int!) {
  millTestReports(where: { issuedAt_gte: $since }, orderBy: issuedAt, orderDirection: desc, first: $first) {
    id
    certificateNumber
    issuedAt
    utilizationBps
    totalKg
    consumedKg
    status
  }
}`;

/** The chain head the indexer has reached: `now` of the forms and the end of the chart windows. */
export const HEAD_QUERY = `query Head { _meta { block { number timestamp } } }`;

export interface TonnageAnswer {
  allocations: { kg: string; linkedAt: string; millTestReport: { countryOfMeltAndPour: string } }[];
}

export interface UtilisationAnswer {
  millTestReports: {
    id: string;
    certificateNumber: string;
    issuedAt: string;
    utilizationBps: number;
    totalKg: string;
    consumedKg: string;
    status: string;
  }[];
}

export interface HeadAnswer {
  _meta: { block: { number: number; timestamp: number | null } } | null;
}
