/**
 * `store.*`: entity reads and writes of a handler, checked against the schema as graph-node checks them
 * (entity type known, id of the schema's id type, no undefined fields from apiVersion 0.0.8 on). Writes go
 * to the handler's layer, which reaches the block only when the handler succeeds.
 */
import { getBytes, hexlify } from "ethers";
import type { EntityData, StoreValue } from "../../store/types";
import { DeterministicError } from "../errors";
import { compareVersion } from "../ethereum";
import type { HostContext } from "./context";

/** Parses an id the way the schema's id type requires. */
export function entityId(ctx: HostContext, entityType: string, id: string): string {
  const t = ctx.env.schema?.get(entityType)?.idType;
  if (t === "Bytes") {
    const hex = id.startsWith("0x") ? id.slice(2) : id;
    if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new DeterministicError(`can not convert \`${id}\` to Id::Bytes`);
    return "0x" + hex.toLowerCase();
  }
  if (t === "Int8") {
    if (!/^-?[0-9]+$/.test(id) || BigInt.asIntN(64, BigInt(id)) !== BigInt(id)) {
      throw new DeterministicError(`can not convert \`${id}\` to Id::Int8`);
    }
  }
  return id;
}

function requireEntityType(ctx: HostContext, entityType: string): void {
  if (ctx.env.schema && !ctx.env.schema.has(entityType)) {
    throw new DeterministicError(`Entity type \`${entityType}\` is not defined in the schema`);
  }
}

export function storeGet(ctx: HostContext, entityType: string, id: string): EntityData | null {
  requireEntityType(ctx, entityType);
  return ctx.state!.layer.get(entityType, entityId(ctx, entityType, id));
}

/** Only what this block wrote so far (graph-ts `loadInBlock`). */
export function storeGetInBlock(ctx: HostContext, entityType: string, id: string): EntityData | null {
  requireEntityType(ctx, entityType);
  return ctx.state!.layer.getInBlock(entityType, entityId(ctx, entityType, id));
}

/** The entities a derived field of `entityType` `id` points at. */
export function storeLoadRelated(ctx: HostContext, entityType: string, id: string, field: string): EntityData[] {
  const info = ctx.env.schema?.get(entityType);
  if (ctx.env.schema && !info) throw new DeterministicError(`Entity type \`${entityType}\` is not defined`);
  if (info && !info.fields.has(field)) throw new DeterministicError(`unknown field \`${field}\``);
  if (info && !info.derived.has(field)) throw new DeterministicError(`field \`${field}\` is not derived`);
  return ctx.state!.layer.loadRelated(entityType, entityId(ctx, entityType, id), field);
}

/** The text of an `id` attribute, or null for a kind an id can't have. */
function idAttributeText(v: StoreValue): string | null {
  if (v.kind === "String") return v.value;
  if (v.kind === "Bytes") return hexlify(v.value);
  if (v.kind === "Int8") return v.value.toString();
  return null;
}

/** The `id` attribute for an entity saved without one, of the schema's id type. */
function idAttribute(idType: string | undefined, id: string): StoreValue {
  if (idType === "Bytes") return { kind: "Bytes", value: getBytes(id) };
  if (idType === "Int8") return { kind: "Int8", value: BigInt(id) };
  return { kind: "String", value: id };
}

/**
 * Saves `data` as entity `entityType` `id`: the id must be of the schema's id type and agree with the
 * entity's own `id` attribute (added when missing); fields the schema lacks fail from apiVersion 0.0.8 on
 * and are dropped before it.
 */
export function storeSet(ctx: HostContext, entityType: string, rawId: string, data: EntityData): void {
  requireEntityType(ctx, entityType);
  const id = entityId(ctx, entityType, rawId);
  const info = ctx.env.schema?.get(entityType);
  const idValue = data.get("id");
  if (idValue) {
    const given = idAttributeText(idValue);
    if (given === null) {
      throw new DeterministicError(`Attribute \`${entityType}.id\` has wrong type: ${idValue.kind}`);
    }
    if (entityId(ctx, entityType, given) !== id) {
      throw new DeterministicError(
        `Value of \`${entityType}.id\` \`${given}\` conflicts with ID passed to \`store.set()\` \`${id}\``,
      );
    }
  } else {
    data.set("id", idAttribute(info?.idType, id));
  }
  if (info) {
    const unknown = [...data.keys()].filter((k) => !info.fields.has(k)).sort();
    if (unknown.length > 0) {
      if (compareVersion(ctx.apiVersion, "0.0.8") >= 0) {
        throw new DeterministicError(
          `Attempted to set undefined fields [${unknown.join(", ")}] for the entity type \`${entityType}\`. ` +
            `Make sure those fields are defined in the schema.`,
        );
      }
      for (const k of unknown) data.delete(k);
    }
  }
  ctx.state!.layer.set(entityType, id, data);
}

export function storeRemove(ctx: HostContext, entityType: string, id: string): void {
  requireEntityType(ctx, entityType);
  ctx.state!.layer.remove(entityType, entityId(ctx, entityType, id));
}
