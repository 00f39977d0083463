/**
 * A schema with #21's timeseries and aggregations (graph-node syntax), shared by the indexer's
 * aggregation tests: two timeseries, aggregations with and without dimensions, each aggregate function and a
 * cumulative one.
 */
export const AGG_SDL = `
type Actor @entity {
  id: Bytes!
  name: String!
}
type ShippedTonnage @entity(timeseries: true) {
  id: Int8!
  timestamp: Timestamp!
  exporter: Actor!
  meltCountry: String!
  kg: BigInt!
  price: BigDecimal
  grade: Int
}
type CertifiedTonnage @entity(timeseries: true) {
  id: Int8!
  timestamp: Timestamp!
  mill: Actor!
  kg: BigInt!
}
type ExporterTonnage @aggregation(intervals: ["hour", "day"], source: "ShippedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  exporter: Actor!
  kg: BigInt! @aggregate(fn: "sum", arg: "kg")
  lines: Int8! @aggregate(fn: "count")
  maxLineKg: BigInt! @aggregate(fn: "max", arg: "kg")
}
type MeltCountryTonnage @aggregation(intervals: ["day", "hour"], source: "ShippedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  meltCountry: String!
  kg: BigInt! @aggregate(fn: "sum", arg: "kg")
  minLineKg: BigInt! @aggregate(fn: "min", arg: "kg")
  firstKg: BigInt! @aggregate(fn: "first", arg: "kg")
  lastKg: BigInt! @aggregate(fn: "last", arg: "kg")
  totalKg: BigInt! @aggregate(fn: "sum", arg: "kg", cumulative: true)
  totalLines: Int8! @aggregate(fn: "count", cumulative: true)
}
type AllTonnage @aggregation(intervals: ["hour"], source: "ShippedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  kg: BigDecimal! @aggregate(fn: "sum", arg: "kg")
  priceSum: BigDecimal @aggregate(fn: "sum", arg: "price")
  maxGrade: Int @aggregate(fn: "max", arg: "grade")
  lastExporter: Actor @aggregate(fn: "last", arg: "exporter")
}
type MillTonnage @aggregation(intervals: ["hour", "day"], source: "CertifiedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  mill: Actor!
  kg: BigInt! @aggregate(fn: "sum", arg: "kg")
}
`;
