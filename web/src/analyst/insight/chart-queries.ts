/**
 * The GraphQL behind the utilisation chart and the charts' clock. The tonnage charts read the aggregations
 * (scripts/lib/tonnage-query.ts); utilisation is per report, so it asks for one bounded page in a time window,
 * newest first, and the page says when the window held more than the page: nothing scans every entity.
 */

/** Rows per chart query: the page the chart draws from. */
export const CHART_PAGE = 1000;

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
