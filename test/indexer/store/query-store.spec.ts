/**
 * The behaviour every QueryStore must show, run through the QueryEngine on the trade data set (blocks 1–3 of
 * `seedTrade`, plus block 4 below): filters of every kind, ordering with ties and child orders, paging, time
 * travel, derived and list fields, interfaces. Each store's test file calls `describeQueryStore` with a
 * factory; the answers are graph-node's, written out here, so every store gives the same ones.
 */
import { expect } from "chai";
import { QueryEngine } from "../../../indexer/graphql/engine";
import type { SchemaModel } from "../../../indexer/schema/model";
import type { Queryable } from "../../../indexer/store/query-store";
import type { EntityStore } from "../../../indexer/store/types";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import {
  TRADE_SCHEMA,
  arr,
  big,
  block,
  blockHash,
  bytes,
  dec,
  entity,
  int,
  int8,
  shipment,
  str,
} from "../../helpers/store";
import { A, B, C, seedTrade } from "../../helpers/trade-data";

export type QueryableStore = EntityStore & Queryable;
type Json = Record<string, unknown>;

/**
 * Block 4: s5 (shipper B, weight and value tied with s3 and s1, sequence tied with s2) appears, certificate c2
 * moves to origin CN, s2 keeps only c2, and C gets a country.
 */
export function seedQuerySpec(store: EntityStore): void {
  seedTrade(store);
  const w = store.beginBlock(block(4));
  w.set(
    "Shipment",
    "s5",
    shipment(B, {
      reference: str("pipe-005"),
      containers: int(3),
      weightKg: big(5n),
      value: dec(125n, -1),
      sequence: int8(-5n),
      certificates: arr(str("c2")),
      documentHash: bytes("0x"),
    }),
  );
  w.set("Certificate", "c2", entity({ origin: str("CN") }));
  w.set("Shipment", "s2", entity({ certificates: arr(str("c2")) }));
  w.set("Actor", C, entity({ country: str("FR") }));
  w.commit();
}

/** Filters at block 2 (s1–s4 alive, s1 SHIPPED), as graph-node answers them. */
export const FILTERS_AT_2: [string, string[]][] = [
  [`reference: "PIPE-001"`, ["s1"]],
  [`reference_not: "PIPE-001"`, ["s2", "s3", "s4"]],
  [`reference_gt: "P"`, ["s1", "s2", "s3"]],
  [`reference_lte: "BAR-004"`, ["s4"]],
  [`reference_in: ["PIPE-001", "BAR-004"]`, ["s1", "s4"]],
  [`reference_not_in: ["PIPE-001", "BAR-004"]`, ["s2", "s3"]],
  [`reference_contains: "IPE"`, ["s1"]],
  [`reference_contains_nocase: "ipe"`, ["s1", "s2"]],
  [`reference_not_contains_nocase: "ipe"`, ["s3", "s4"]],
  [`reference_starts_with: "PIPE"`, ["s1"]],
  [`reference_not_starts_with_nocase: "pipe"`, ["s3", "s4"]],
  [`reference_ends_with_nocase: "STEEL-003"`, ["s3"]],
  [`reference_not_ends_with: "003"`, ["s1", "s2", "s4"]],
  [`reference_ends_with: ""`, ["s1", "s2", "s3", "s4"]],
  [`weightKg_gt: "18446744073709551616"`, ["s1", "s2"]],
  [`weightKg_lt: "0"`, ["s4"]],
  [`weightKg_in: ["5", "-36893488147419103232"]`, ["s3", "s4"]],
  [`value_gt: "0"`, ["s1", "s4"]],
  [`value_lt: "0.001"`, ["s2"]],
  [`value: "12.50"`, ["s1"]],
  [`value: null`, ["s3"]],
  [`value_not: null`, ["s1", "s2", "s4"]],
  [`value_not: "12.5"`, ["s2", "s4"]],
  [`containers_in: [1, 3]`, ["s1", "s2"]],
  [`containers_not: 2`, ["s1", "s2"]],
  [`sequence_lt: "0"`, ["s2"]],
  [`sequence_gt: 1000000`, ["s3"]],
  [`createdAt_gte: "3000"`, ["s3", "s4"]],
  [`flagged: true`, ["s2", "s4"]],
  [`flagged_not_in: [false]`, ["s2", "s4"]],
  [`status: DRAFT`, ["s4"]],
  [`status_in: [SHIPPED, DELIVERED]`, ["s1", "s2", "s3"]],
  [`documentHash: "0x00FF10"`, ["s1"]],
  [`documentHash_contains: "0xff"`, ["s1", "s3"]],
  [`documentHash_contains: "0x0ff1"`, []],
  [`documentHash_not_contains: "0xff10"`, ["s3"]],
  [`documentHash_gt: "0x0100"`, ["s3"]],
  [`id_gt: "s2"`, ["s3", "s4"]],
  [`id_in: []`, []],
  [`id_not_in: []`, ["s1", "s2", "s3", "s4"]],
  [`shipper: "${A.toUpperCase().slice(2)}"`, ["s1", "s3"]],
  [`shipper_not_in: ["${A}"]`, ["s2", "s4"]],
  [`shipper_contains: "bbbb"`, ["s2"]],
  [`shipper_starts_with_nocase: "0xAA"`, ["s1", "s3"]],
  [`shipper: "not hex"`, []],
  [`consignee: null`, ["s1", "s3", "s4"]],
  [`hsCodes: []`, ["s3"]],
  [`hsCodes_not: ["7306"]`, ["s1", "s3", "s4"]],
  [`hsCodes_contains: ["7304", "7306"]`, ["s1"]],
  [`hsCodes_not_contains: ["7306"]`, ["s3", "s4"]],
  [`certificates_contains_nocase: ["C1"]`, ["s1", "s2"]],
  [`certificates_not_contains_nocase: ["C2"]`, ["s1", "s3", "s4"]],
  [`shipper_: { name_starts_with: "Acme" }`, ["s1", "s3"]],
  [`consignee_: { name_contains: "Acme" }`, ["s2"]],
  [`certificates_: { origin: "US" }`, ["s2"]],
  [`events_: { status: SHIPPED }`, ["s1", "s2"]],
  [`or: [{ status: DELIVERED }, { flagged: true }]`, ["s2", "s3", "s4"]],
  [`and: [{ flagged: true }, { containers: 2 }]`, ["s4"]],
  [`flagged: false, or: [{ containers: 3 }, { containers: 2 }]`, ["s1", "s3"]],
  [`or: [{ shipper_: { country: "DE" } }, { and: [{ flagged: true }, { weightKg_lt: 0 }] }]`, ["s1", "s3", "s4"]],
];

/** Filters at the head (block 4: s1, s2, s3, s5 alive) and at block 3, where block 4's changes are not seen. */
export const FILTERS_AT_HEAD: [string, string[]][] = [
  [`reference_contains_nocase: "pipe"`, ["s1", "s2", "s5"]],
  [`weightKg: 5`, ["s3", "s5"]],
  [`value: "12.5"`, ["s1", "s5"]],
  [`certificates_contains: ["c2"]`, ["s2", "s5"]],
  [`certificates_contains: ["c1"]`, ["s1"]],
  [`certificates_: { origin: "CN" }`, ["s2", "s5"]],
  [`_change_block: { number_gte: 4 }`, ["s2", "s5"]],
  [`_change_block: { number_gte: 2 }`, ["s1", "s2", "s5"]],
  [`shipper_: { country: "US" }`, ["s2", "s5"]],
  [`shipper_: { country: "FR" }`, []],
];
export const FILTERS_AT_3: [string, string[]][] = [
  [`reference_contains_nocase: "pipe"`, ["s1", "s2"]],
  [`certificates_contains: ["c1"]`, ["s1", "s2"]],
  [`certificates_: { origin: "CN" }`, []],
  [`certificates_: { origin: "US" }`, ["s2"]],
];

/** Orders at the head; `[args, ids]`. */
export const ORDERS: [string, string[]][] = [
  [`orderBy: weightKg`, ["s3", "s5", "s2", "s1"]],
  [`orderBy: weightKg, orderDirection: desc`, ["s1", "s2", "s5", "s3"]],
  [`orderBy: value`, ["s2", "s1", "s5", "s3"]],
  [`orderBy: value, orderDirection: desc`, ["s5", "s1", "s2", "s3"]],
  [`orderBy: sequence`, ["s2", "s5", "s1", "s3"]],
  [`orderBy: status`, ["s3", "s5", "s1", "s2"]],
  [`orderBy: id, orderDirection: desc`, ["s5", "s3", "s2", "s1"]],
  [`orderBy: shipper__name`, ["s1", "s3", "s2", "s5"]],
  [`orderBy: shipper__name, orderDirection: desc`, ["s5", "s2", "s3", "s1"]],
  [`orderBy: consignee__name`, ["s2", "s1", "s3", "s5"]],
  [`orderBy: consignee__name, orderDirection: desc`, ["s2", "s5", "s3", "s1"]],
  [`orderBy: shipper__roles, orderDirection: desc`, ["s3", "s1", "s5", "s2"]],
  [`orderBy: weightKg, first: 2, skip: 1`, ["s5", "s2"]],
  [`orderBy: weightKg, skip: 10`, []],
  [`first: 0`, []],
  [`block: { number: 1 }, orderBy: weightKg`, ["s4", "s3", "s2", "s1"]],
  [`block: { number: 3 }, orderBy: value, orderDirection: desc`, ["s1", "s2", "s3"]],
];

/** Whole answers: nested, derived and list fields, interfaces, scalars, at several blocks. */
export const ANSWERS: [string, string, Json][] = [
  [
    "finds entities by id at the head and earlier blocks",
    `{
      now: shipment(id: "s1") { status }
      then: shipment(id: "s1", block: { number: 1 }) { status }
      byHash: shipment(id: "s1", block: { hash: "${blockHash(1)}" }) { status }
      gone: shipment(id: "s4") { id }
      wasThere: shipment(id: "s4", block: { number: 2 }) { id }
      c2now: certificate(id: "c2") { origin }
      c2then: certificate(id: "c2", block: { number: 3 }) { origin }
      upper: actor(id: "${A.toUpperCase().replace("0X", "0x")}") { name }
      bad: actor(id: "zz") { name }
    }`,
    {
      now: { status: "SHIPPED" },
      then: { status: "DRAFT" },
      byHash: { status: "DRAFT" },
      gone: null,
      wasThere: { id: "s4" },
      c2now: { origin: "CN" },
      c2then: { origin: "US" },
      upper: { name: "Acme Steel AG" },
      bad: null,
    },
  ],
  [
    "answers every scalar kind",
    `{ shipment(id: "s1", block: { number: 1 }) {
      reference status weightKg value containers sequence hsCodes flagged createdAt documentHash
      consignee { id } shipper { id name country roles }
    } }`,
    {
      shipment: {
        reference: "PIPE-001",
        status: "DRAFT",
        weightKg: "1180591620717411303424",
        value: "12.5",
        containers: 3,
        sequence: "10",
        hsCodes: ["7304", "7306"],
        flagged: false,
        createdAt: "1000",
        documentHash: "0x00ff10",
        consignee: null,
        shipper: { id: A, name: "Acme Steel", country: "DE", roles: 3 },
      },
    },
  ],
  [
    "reads Bytes as lowercase hex: a value, an empty one and none",
    `{ shipments(orderBy: id) { id documentHash } }`,
    {
      shipments: [
        { id: "s1", documentHash: "0x00ff10" },
        { id: "s2", documentHash: null },
        { id: "s3", documentHash: "0x10ff00" },
        { id: "s5", documentHash: "0x" },
      ],
    },
  ],
  [
    "resolves derived fields with arguments",
    `{ actor(id: "${B}") {
      shipments { id }
      lightest: shipments(orderBy: weightKg, first: 1) { id }
      drafts: shipments(where: { status: DRAFT }) { id }
      skipped: shipments(skip: 1) { id }
      certificates { id }
    } }`,
    {
      actor: {
        shipments: [{ id: "s2" }, { id: "s5" }],
        lightest: [{ id: "s5" }],
        drafts: [{ id: "s5" }],
        skipped: [{ id: "s5" }],
        certificates: [{ id: "c2" }],
      },
    },
  ],
  [
    "pages derived fields per parent, at the head and at an old block",
    `{
      now: actors(orderBy: id) { id shipments(first: 1, orderBy: weightKg, orderDirection: desc) { id } }
      then: actors(orderBy: id, block: { number: 2 }) { id shipments(first: 1, orderBy: weightKg) { id } }
    }`,
    {
      now: [
        { id: A, shipments: [{ id: "s1" }] },
        { id: B, shipments: [{ id: "s2" }] },
        { id: C, shipments: [] },
      ],
      then: [
        { id: A, shipments: [{ id: "s3" }] },
        { id: B, shipments: [{ id: "s2" }] },
        { id: C, shipments: [{ id: "s4" }] },
      ],
    },
  ],
  [
    "resolves lists of references and derived fields through lists, in time",
    `{
      now: shipment(id: "s2") { certificates { id origin } events { id status } consignee { name } }
      then: shipment(id: "s2", block: { number: 3 }) {
        certificates { id origin }
        us: certificates(where: { origin: "US" }) { id }
        last: certificates(first: 1, orderBy: origin, orderDirection: desc) { id }
        consignee { name }
      }
      first: shipment(id: "s2", block: { number: 1 }) { consignee { name } }
      c2: certificate(id: "c2") { shipments { id } }
      c1then: certificate(id: "c1", block: { number: 3 }) { shipments { id } issuer { name } }
      events: shipment(id: "s1") { events(orderBy: at, orderDirection: desc, first: 1) { id status } }
    }`,
    {
      now: {
        certificates: [{ id: "c2", origin: "CN" }],
        events: [{ id: "e3", status: "SHIPPED" }],
        consignee: { name: "Acme Steel AG" },
      },
      then: {
        certificates: [
          { id: "c1", origin: "DE" },
          { id: "c2", origin: "US" },
        ],
        us: [{ id: "c2" }],
        last: [{ id: "c2" }],
        consignee: { name: "Acme Steel AG" },
      },
      first: { consignee: { name: "Acme Steel" } },
      c2: { shipments: [{ id: "s2" }, { id: "s5" }] },
      c1then: { shipments: [{ id: "s1" }, { id: "s2" }], issuer: { name: "Acme Steel AG" } },
      events: { events: [{ id: "e2", status: "SHIPPED" }] },
    },
  ],
  [
    "filters through derived fields, at the head and at an old block",
    `{
      busy: actors(where: { shipments_: { containers: 3 } }) { id }
      pipes: certificates(where: { shipments_: { reference_starts_with: "pipe" } }) { id }
      pipesThen: certificates(block: { number: 3 }, where: { shipments_: { reference_starts_with: "pipe" } }) { id }
    }`,
    { busy: [{ id: A }, { id: B }], pipes: [{ id: "c2" }], pipesThen: [{ id: "c1" }, { id: "c2" }] },
  ],
  [
    "queries interfaces with fragments, filters and by id",
    `{
      documents(orderBy: issuedAt) {
        __typename id issuedAt issuer { name }
        ... on Certificate { origin }
        ... on MillReport { heatNumber }
      }
      latest: documents(orderBy: issuedAt, orderDirection: desc, first: 2) { id }
      byA: documents(where: { issuer: "${A}" }) { id }
      m1: document(id: "m1") { __typename ... on MillReport { heatNumber } }
    }`,
    {
      documents: [
        { __typename: "Certificate", id: "c1", issuedAt: "100", issuer: { name: "Acme Steel AG" }, origin: "DE" },
        { __typename: "MillReport", id: "m1", issuedAt: "150", issuer: { name: "Acme Steel AG" }, heatNumber: "H1" },
        { __typename: "Certificate", id: "c2", issuedAt: "200", issuer: { name: "beta pipes" }, origin: "CN" },
      ],
      latest: [{ id: "c2" }, { id: "m1" }],
      byA: [{ id: "c1" }, { id: "m1" }],
      m1: { __typename: "MillReport", heatNumber: "H1" },
    },
  ],
  [
    "reports the block of _meta",
    `{ now: _meta { block { number hash } hasIndexingErrors } then: _meta(block: { number: 3 }) { block { number hash } } }`,
    {
      now: { block: { number: 4, hash: blockHash(4) }, hasIndexingErrors: false },
      then: { block: { number: 3, hash: blockHash(3) } },
    },
  ],
];

/** Bad input the store refuses, with graph-node's messages. */
export const ERRORS: [string, string][] = [
  [
    `{ shipments(where: { shipper_: { shipments_: { id: "s1" } } }) { id } }`,
    "child filter `shipments_` is nested inside another child filter; at most 1 level is allowed",
  ],
  [`{ shipments(where: { weightKg_gt: null }) { id } }`, "filter `weightKg_gt` does not accept null"],
  [`{ shipments(where: { hsCodes_contains: null }) { id } }`, "filter `hsCodes_contains` does not accept null"],
];

/** The spec, for one store implementation: `open` gives a fresh, empty store of the schema. */
export function describeQueryStore(name: string, open: (schema: SchemaModel) => QueryableStore): void {
  describe(`QueryStore behaviour: ${name}`, () => {
    let store: QueryableStore;
    let engine: QueryEngine;

    before(() => {
      store = open(loadSubgraphSchema(TRADE_SCHEMA));
      seedQuerySpec(store);
      engine = new QueryEngine(store);
    });
    after(() => store.close());

    async function answer(query: string): Promise<Json> {
      const r = await engine.execute({ query });
      expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
      return r.data as Json;
    }

    async function ids(query: string): Promise<string[]> {
      return (Object.values(await answer(query))[0] as { id: string }[]).map((x) => x.id);
    }

    describe("filters", () => {
      for (const [where, expected] of FILTERS_AT_2)
        it(`at block 2: { ${where} }`, async () => {
          expect(await ids(`{ shipments(block: { number: 2 }, where: { ${where} }) { id } }`)).to.deep.equal(expected);
        });
      for (const [where, expected] of FILTERS_AT_HEAD)
        it(`at the head: { ${where} }`, async () => {
          expect(await ids(`{ shipments(where: { ${where} }) { id } }`)).to.deep.equal(expected);
        });
      for (const [where, expected] of FILTERS_AT_3)
        it(`at block 3: { ${where} }`, async () => {
          expect(await ids(`{ shipments(block: { number: 3 }, where: { ${where} }) { id } }`)).to.deep.equal(expected);
        });
    });

    describe("ordering and paging", () => {
      for (const [args, expected] of ORDERS)
        it(args, async () => {
          expect(await ids(`{ shipments(${args}) { id } }`)).to.deep.equal(expected);
        });
    });

    describe("answers", () => {
      for (const [title, query, expected] of ANSWERS)
        it(title, async () => {
          expect(await answer(query)).to.deep.equal(expected);
        });
    });

    describe("bad input", () => {
      for (const [query, message] of ERRORS)
        it(message, async () => {
          const r = await engine.execute({ query });
          expect(r.errors?.map((e) => e.message)).to.deep.equal([message]);
        });
    });
  });
}
