/**
 * Timeseries data points as graph-node stores them: `store.set` on a timeseries type ignores the id the
 * mapping gave and assigns the next id of the block, `(block number << 32) + sequence` (the sequence counts
 * generated ids within the block from 0), and overwrites `timestamp` with the block's time, so that ids grow
 * in insertion order and `first`/`last` can order by id.
 */
import type { EntityModel } from "../schema/model";
import { EntityValidationError, type BlockPtr, type EntityData } from "./types";

/** graph-node's generated Int8 id: the block number in the upper 32 bits, the sequence in the lower. */
export function generatedId(block: number, seq: number): bigint {
  return (BigInt(block) << 32n) + BigInt(seq);
}

/** The block's time in microseconds since the epoch (graph-node's `Timestamp`). */
export function blockTimeMicros(entity: EntityModel, block: BlockPtr): bigint {
  if (block.timestamp === undefined) {
    throw new EntityValidationError(
      `Entity ${entity.name}: timeseries data points need the block's timestamp, and block ${block.number} has none`,
    );
  }
  return BigInt(block.timestamp) * 1_000_000n;
}

/** A new data point: the mapping's fields with the generated id and the block's timestamp. */
export function dataPoint(
  entity: EntityModel,
  block: BlockPtr,
  seq: number,
  data: EntityData,
): { id: string; data: EntityData } {
  const id = generatedId(block.number, seq);
  const out: EntityData = new Map(data);
  out.set("id", { kind: "Int8", value: id });
  out.set("timestamp", { kind: "Timestamp", value: blockTimeMicros(entity, block) });
  return { id: id.toString(), data: out };
}
