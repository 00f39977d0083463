import { readFileSync } from "node:fs";
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type GraphQLError,
  type TypeNode,
} from "graphql";
import {
  RESERVED_FIELD_NAMES,
  SCALAR_KINDS,
  SchemaError,
  type AggregationModel,
  type EntityModel,
  type EnumModel,
  type FieldModel,
  type FieldType,
  type IdKind,
  type InterfaceModel,
  type ScalarKind,
  type SchemaModel,
} from "./model";
import { loadIndexPlan } from "./index-plan";
import { checkTimeseries, parseAggregation } from "./aggregation";

const ID_KINDS: Record<string, IdKind> = { ID: "String", String: "String", Bytes: "Bytes", Int8: "Int8" };

/** Reads and parses a subgraph `schema.graphql` file. */
export function loadSubgraphSchema(path: string): SchemaModel {
  const model = parseSubgraphSchema(readFileSync(path, "utf8"));
  model.indexes = loadIndexPlan(path, model);
  return model;
}

/**
 * Parses a subgraph schema into a model. Throws `SchemaError` for anything graph-node would reject or this
 * runtime does not support (fulltext search, unions, nested lists, aggregation expressions, ...).
 */
export function parseSubgraphSchema(sdl: string): SchemaModel {
  let doc;
  try {
    doc = parse(sdl, { noLocation: false });
  } catch (e) {
    throw new SchemaError(`schema.graphql does not parse: ${(e as GraphQLError).message}`);
  }

  const enums = new Map<string, EnumModel>();
  const objectNodes = [];
  const aggregationNodes = [];
  const interfaceNodes = [];
  for (const def of doc.definitions) {
    switch (def.kind) {
      case Kind.ENUM_TYPE_DEFINITION:
        enums.set(def.name.value, { name: def.name.value, values: (def.values ?? []).map((v) => v.name.value) });
        break;
      case Kind.OBJECT_TYPE_DEFINITION:
        if (def.directives?.some((d) => d.name.value === "aggregation")) aggregationNodes.push(def);
        else objectNodes.push(def);
        break;
      case Kind.INTERFACE_TYPE_DEFINITION:
        interfaceNodes.push(def);
        break;
      default:
        throw new SchemaError(
          `unsupported schema feature: ${def.kind}${"name" in def ? ` \`${def.name?.value}\`` : ""}`,
        );
    }
  }

  const typeNames = new Set<string>();
  const claim = (name: string) => {
    if (typeNames.has(name)) throw new SchemaError(`type \`${name}\` is defined twice`);
    if ((SCALAR_KINDS as readonly string[]).includes(name)) throw new SchemaError(`\`${name}\` is a built-in scalar`);
    if (name.startsWith("_")) throw new SchemaError(`unsupported schema feature: type \`${name}\` (fulltext search?)`);
    typeNames.add(name);
  };
  for (const e of enums.keys()) claim(e);
  for (const o of objectNodes) claim(o.name.value);
  for (const i of interfaceNodes) claim(i.name.value);
  for (const a of aggregationNodes) claim(a.name.value);
  const aggregationNames = new Set(aggregationNodes.map((a) => a.name.value));
  const objectNames = new Set(objectNodes.map((o) => o.name.value));
  const interfaceNames = new Set(interfaceNodes.map((i) => i.name.value));

  const fieldOf = (owner: string, node: FieldDefinitionNode, inAggregation = false): FieldModel => {
    const where = `${owner}.${node.name.value}`;
    if (RESERVED_FIELD_NAMES.includes(node.name.value))
      throw new SchemaError(`field \`${where}\` uses a reserved name`);
    if (node.arguments && node.arguments.length > 0) throw new SchemaError(`field \`${where}\` may not have arguments`);
    let t: TypeNode = node.type;
    let nonNull = false;
    let list = false;
    let elementNonNull = false;
    if (t.kind === Kind.NON_NULL_TYPE) {
      nonNull = true;
      t = t.type;
    }
    if (t.kind === Kind.LIST_TYPE) {
      list = true;
      t = t.type;
      if (t.kind === Kind.NON_NULL_TYPE) {
        elementNonNull = true;
        t = t.type;
      }
      if (t.kind === Kind.LIST_TYPE) throw new SchemaError(`field \`${where}\`: lists of lists are not supported`);
    }
    if (t.kind !== Kind.NAMED_TYPE) throw new SchemaError(`field \`${where}\`: unsupported type`);
    const name = t.name.value;
    let type: FieldType;
    if ((SCALAR_KINDS as readonly string[]).includes(name)) type = { kind: "scalar", scalar: name as ScalarKind };
    else if (enums.has(name)) type = { kind: "enum", name };
    else if (objectNames.has(name) || interfaceNames.has(name)) type = { kind: "ref", target: name };
    else if (aggregationNames.has(name)) {
      throw new SchemaError(
        `field \`${where}\`: fields of aggregation type \`${name}\` are not supported by this runtime`,
      );
    } else throw new SchemaError(`field \`${where}\` has unknown type \`${name}\``);

    const field: FieldModel = { name: node.name.value, type, nonNull, list, elementNonNull };
    for (const d of node.directives ?? []) {
      if (inAggregation && d.name.value === "aggregate") continue; // read by parseAggregation
      if (d.name.value !== "derivedFrom")
        throw new SchemaError(`field \`${where}\`: unsupported directive @${d.name.value}`);
      const arg = stringArg(d, "field");
      if (arg === undefined)
        throw new SchemaError(`field \`${where}\`: @derivedFrom needs a \`field\` string argument`);
      if (type.kind !== "ref")
        throw new SchemaError(`field \`${where}\`: @derivedFrom is only allowed on entity fields`);
      field.derivedFrom = arg;
    }
    return field;
  };

  const idKindOf = (owner: string, fields: FieldModel[]): IdKind => {
    const id = fields.find((f) => f.name === "id");
    if (!id) throw new SchemaError(`type \`${owner}\` has no \`id\` field`);
    const kind = id.type.kind === "scalar" ? ID_KINDS[id.type.scalar] : undefined;
    if (!kind || !id.nonNull || id.list || id.derivedFrom) {
      throw new SchemaError(`type \`${owner}\`: \`id\` must be one of ID!, String!, Bytes!, Int8!`);
    }
    return kind;
  };

  const interfaces = new Map<string, InterfaceModel>();
  for (const node of interfaceNodes) {
    if (node.directives && node.directives.length > 0) {
      throw new SchemaError(`interface \`${node.name.value}\`: directives on interfaces are not supported`);
    }
    if (node.interfaces && node.interfaces.length > 0) {
      throw new SchemaError(`interface \`${node.name.value}\`: interfaces implementing interfaces are not supported`);
    }
    const fields = (node.fields ?? []).map((f) => fieldOf(node.name.value, f));
    interfaces.set(node.name.value, {
      name: node.name.value,
      fields,
      fieldsByName: new Map(fields.map((f) => [f.name, f])),
      idKind: idKindOf(node.name.value, fields),
      implementations: [],
    });
  }

  const entities = new Map<string, EntityModel>();
  for (const node of objectNodes) {
    const name = node.name.value;
    let immutable = false;
    let timeseries = false;
    let immutableArg: boolean | undefined;
    let isEntity = false;
    for (const d of node.directives ?? []) {
      if (d.name.value !== "entity") throw new SchemaError(`type \`${name}\`: unsupported directive @${d.name.value}`);
      isEntity = true;
      for (const a of d.arguments ?? []) {
        if (a.value.kind !== Kind.BOOLEAN)
          throw new SchemaError(`type \`${name}\`: @entity(${a.name.value}:) must be a Boolean`);
        if (a.name.value === "immutable") immutable = immutableArg = a.value.value;
        else if (a.name.value === "timeseries") timeseries = a.value.value;
        else throw new SchemaError(`type \`${name}\`: unsupported @entity argument \`${a.name.value}\``);
      }
    }
    if (!isEntity) throw new SchemaError(`type \`${name}\` lacks the @entity directive`);
    const fields = (node.fields ?? []).map((f) => fieldOf(name, f));
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name)) throw new SchemaError(`field \`${name}.${f.name}\` is defined twice`);
      seen.add(f.name);
    }
    const entity: EntityModel = {
      name,
      immutable: immutable || timeseries,
      timeseries,
      idKind: idKindOf(name, fields),
      fields,
      fieldsByName: new Map(fields.map((f) => [f.name, f])),
      interfaces: (node.interfaces ?? []).map((i) => i.name.value),
    };
    if (timeseries) checkTimeseries(entity, immutableArg);
    for (const iname of entity.interfaces) {
      const iface = interfaces.get(iname);
      if (!iface) throw new SchemaError(`type \`${name}\` implements unknown interface \`${iname}\``);
      for (const f of iface.fields) {
        const mine = entity.fieldsByName.get(f.name);
        if (!mine || !sameFieldType(mine, f)) {
          throw new SchemaError(`type \`${name}\` must have field \`${f.name}\` as declared by interface \`${iname}\``);
        }
      }
      if (iface.idKind !== entity.idKind) {
        throw new SchemaError(`type \`${name}\`: its id type differs from interface \`${iname}\``);
      }
      iface.implementations.push(name);
    }
    entities.set(name, entity);
  }

  const aggregations = new Map<string, AggregationModel>();
  for (const node of aggregationNodes) {
    const name = node.name.value;
    const extra = node.directives!.find((d) => d.name.value !== "aggregation");
    if (extra) throw new SchemaError(`type \`${name}\`: @${extra.name.value} cannot be combined with @aggregation`);
    if (node.interfaces && node.interfaces.length > 0) {
      throw new SchemaError(`aggregation \`${name}\`: aggregations implementing interfaces are not supported`);
    }
    const fields = (node.fields ?? []).map((f) => fieldOf(name, f, true));
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name)) throw new SchemaError(`field \`${name}.${f.name}\` is defined twice`);
      seen.add(f.name);
    }
    aggregations.set(name, parseAggregation(node, fields, entities));
  }

  const model: SchemaModel = { entities, aggregations, interfaces, enums, source: sdl, indexes: null };

  // Derived fields must point at a field of the target that references this type back.
  const checkDerived = (owner: string, f: FieldModel, ownerInterfaces: string[]) => {
    if (f.derivedFrom === undefined || f.type.kind !== "ref") return;
    const target = entities.get(f.type.target) ?? interfaces.get(f.type.target);
    const back = target?.fieldsByName.get(f.derivedFrom);
    const where = `${owner}.${f.name}`;
    if (!back)
      throw new SchemaError(
        `field \`${where}\`: @derivedFrom field \`${f.derivedFrom}\` does not exist on \`${f.type.target}\``,
      );
    if (back.type.kind !== "ref" || back.derivedFrom !== undefined) {
      throw new SchemaError(
        `field \`${where}\`: @derivedFrom field \`${f.type.target}.${back.name}\` must be a stored reference`,
      );
    }
    if (back.type.target !== owner && !ownerInterfaces.includes(back.type.target)) {
      throw new SchemaError(`field \`${where}\`: \`${f.type.target}.${back.name}\` does not reference \`${owner}\``);
    }
  };
  for (const e of entities.values()) for (const f of e.fields) checkDerived(e.name, f, e.interfaces);
  for (const i of interfaces.values()) for (const f of i.fields) checkDerived(i.name, f, []);
  return model;
}

function sameFieldType(a: FieldModel, b: FieldModel): boolean {
  return (
    a.list === b.list &&
    a.nonNull === b.nonNull &&
    a.elementNonNull === b.elementNonNull &&
    JSON.stringify(a.type) === JSON.stringify(b.type) &&
    a.derivedFrom === b.derivedFrom
  );
}

function stringArg(d: ConstDirectiveNode, name: string): string | undefined {
  const a = d.arguments?.find((x) => x.name.value === name);
  return a && a.value.kind === Kind.STRING ? a.value.value : undefined;
}
