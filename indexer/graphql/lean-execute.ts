/**
 * A leaner `execute` for query operations whose resolvers all answer synchronously (the engine's do: its store
 * reads are synchronous). It gives the answer graphql-js's `execute` gives, error for error (the same messages,
 * paths and locations, the same nulling of non-null fields' parents), but does per field of a selection what
 * graphql-js does per field of every object: collecting the sub-selection, coercing the arguments, building
 * the resolve info and working out how to complete the field's type are done once per query for each field
 * of a selection, not once for each of the thousands of rows a list answers with. Paths are built only
 * where an error needs one, and answers are plain objects of one shape per selection (graphql-js makes
 * prototype-less ones, which V8 keeps as slow dictionaries and serialises slowly).
 *
 * Introspection (`__schema`, `__type`) and operations other than queries go to graphql-js: their resolvers
 * are graphql-js's own, and nothing about them is hot.
 */
import {
  GraphQLError,
  getArgumentValues,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  locatedError,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLAbstractType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";
import { collectFields, collectSubfields } from "graphql/execution/collectFields";
import {
  assertValidExecutionArguments,
  buildExecutionContext,
  getFieldDef,
  type ExecutionContext,
} from "graphql/execution/execute";
import { inspect } from "graphql/jsutils/inspect";
import { pathToArray, type Path } from "graphql/jsutils/Path";

export interface LeanExecutionArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues?: Record<string, unknown>;
  operationName?: string;
  contextValue?: unknown;
}

/** Completes a resolved value of one type at the position `{prev, key}` (built only where needed). */
type Completer = (run: Run, field: FieldPlan, value: unknown, prev: Path | undefined, key: string | number) => unknown;

/** A field of a selection on one object type, as the selection's every object resolves it. */
interface FieldPlan {
  responseName: string;
  nodes: readonly FieldNode[];
  def: GraphQLField<unknown, unknown>;
  parentType: GraphQLObjectType;
  resolve: GraphQLFieldResolver<unknown, unknown>;
  /** Shared by every object: resolvers must not depend on `info.path` (the engine's do not). */
  info: GraphQLResolveInfo;
  /** The arguments, coerced on first use; or the error coercing them threw, thrown for every object. */
  args?: { value: Record<string, unknown> } | { error: unknown };
  nonNull: boolean;
  complete: Completer;
  /** The sub-selection by the runtime object type, collected on first use. */
  selections?: Map<GraphQLObjectType, SelectionPlan>;
}

/** A selection set on one object type: its fields in response order. */
interface SelectionPlan {
  fields: FieldPlan[];
  /** A response name `__proto__` cannot be set on a plain object. */
  prototypeFree: boolean;
}

/** One execution: graphql-js's execution context and the errors collected. */
interface Run {
  exe: ExecutionContext;
  errors: GraphQLError[];
  completers: Map<GraphQLOutputType, Completer>;
}

/**
 * Executes `args` as graphql-js's `execute` would, or returns undefined when the operation is not one this
 * executor runs (then graphql-js must); throws where `execute` throws.
 */
export function leanExecute(args: LeanExecutionArgs): ExecutionResult | undefined {
  assertValidExecutionArguments(args.schema, args.document, args.variableValues);
  const exe = buildExecutionContext(args);
  if (!("schema" in exe)) return { errors: exe };
  if (exe.operation.operation !== "query") return undefined;
  const rootType = exe.schema.getQueryType();
  if (!rootType) return undefined;
  const rootFields = collectFields(exe.schema, exe.fragments, exe.variableValues, rootType, exe.operation.selectionSet);
  for (const nodes of rootFields.values()) {
    const name = nodes[0].name.value;
    if (name === "__schema" || name === "__type") return undefined;
  }
  const run: Run = { exe, errors: [], completers: new Map() };
  let data: Record<string, unknown> | null;
  try {
    data = executeSelection(run, selectionPlan(run, rootType, rootFields), exe.rootValue, undefined);
  } catch (error) {
    run.errors.push(error as GraphQLError);
    data = null;
  }
  return run.errors.length === 0 ? { data } : { errors: run.errors, data };
}

function selectionPlan(run: Run, type: GraphQLObjectType, fields: Map<string, readonly FieldNode[]>): SelectionPlan {
  const { exe } = run;
  const plans: FieldPlan[] = [];
  for (const [responseName, nodes] of fields) {
    const def = getFieldDef(exe.schema, type, nodes[0]);
    if (!def) continue;
    plans.push({
      responseName,
      nodes,
      def,
      parentType: type,
      resolve: def.resolve ?? exe.fieldResolver,
      info: {
        fieldName: def.name,
        fieldNodes: nodes,
        returnType: def.type,
        parentType: type,
        path: undefined as unknown as Path,
        schema: exe.schema,
        fragments: exe.fragments,
        rootValue: exe.rootValue,
        operation: exe.operation,
        variableValues: exe.variableValues,
      },
      nonNull: isNonNullType(def.type),
      complete: completer(run, def.type),
    });
  }
  return { fields: plans, prototypeFree: fields.has("__proto__") };
}

function executeSelection(
  run: Run,
  plan: SelectionPlan,
  source: unknown,
  path: Path | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = plan.prototypeFree ? Object.create(null) : {};
  const context = run.exe.contextValue;
  for (const field of plan.fields) {
    let value: unknown;
    try {
      const args = field.args ?? coerceArgs(run, field);
      if ("error" in args) throw args.error;
      value = field.complete(
        run,
        field,
        field.resolve(source, args.value, context, field.info),
        path,
        field.responseName,
      );
    } catch (raw) {
      const error = locatedError(
        raw,
        field.nodes,
        pathToArray({ prev: path, key: field.responseName, typename: undefined }),
      );
      if (field.nonNull) throw error;
      run.errors.push(error);
      value = null;
    }
    out[field.responseName] = value;
  }
  return out;
}

function coerceArgs(run: Run, field: FieldPlan): NonNullable<FieldPlan["args"]> {
  try {
    field.args = { value: getArgumentValues(field.def, field.nodes[0], run.exe.variableValues) };
  } catch (error) {
    field.args = { error };
  }
  return field.args;
}

/** How values of `type` complete, made once per type and query. */
function completer(run: Run, type: GraphQLOutputType): Completer {
  let c = run.completers.get(type);
  if (!c) {
    c = makeCompleter(run, type);
    run.completers.set(type, c);
  }
  return c;
}

function makeCompleter(run: Run, type: GraphQLOutputType): Completer {
  if (isNonNullType(type)) {
    const inner = completer(run, type.ofType);
    return (r, field, value, prev, key) => {
      if (value instanceof Error) throw value;
      const completed = inner(r, field, value, prev, key);
      if (completed === null) {
        throw new Error(`Cannot return null for non-nullable field ${field.parentType.name}.${field.def.name}.`);
      }
      return completed;
    };
  }
  if (isListType(type)) return listCompleter(run, type.ofType, isNonNullType(type.ofType));
  if (isLeafType(type)) return leafCompleter(type);
  if (isAbstractType(type)) return abstractCompleter(type);
  if (isObjectType(type)) {
    return (r, field, value, prev, key) => {
      if (value instanceof Error) throw value;
      if (value === null || value === undefined) return null;
      return completeObject(r, field, type, value, { prev, key, typename: undefined });
    };
  }
  throw new Error(`cannot complete values of type ${inspect(type)}`);
}

function listCompleter(run: Run, itemType: GraphQLOutputType, itemsNonNull: boolean): Completer {
  const item = completer(run, itemType);
  return (r, field, value, prev, key) => {
    if (value instanceof Error) throw value;
    if (value === null || value === undefined) return null;
    if (!isIterable(value)) {
      throw new GraphQLError(
        `Expected Iterable, but did not find one for field "${field.parentType.name}.${field.def.name}".`,
      );
    }
    const items = Array.isArray(value) ? value : Array.from(value);
    const path: Path = { prev, key, typename: undefined };
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      try {
        out[i] = item(r, field, items[i], path, i);
      } catch (raw) {
        const error = locatedError(raw, field.nodes, pathToArray({ prev: path, key: i, typename: undefined }));
        if (itemsNonNull) throw error;
        r.errors.push(error);
        out[i] = null;
      }
    }
    return out;
  };
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === "object" && typeof (value as Partial<Iterable<unknown>>)?.[Symbol.iterator] === "function";
}

function leafCompleter(type: GraphQLLeafType): Completer {
  return (_r, _field, value) => {
    if (value instanceof Error) throw value;
    if (value === null || value === undefined) return null;
    const serialized = type.serialize(value);
    if (serialized === null || serialized === undefined) {
      throw new Error(
        `Expected \`${inspect(type)}.serialize(${inspect(value)})\` to return non-nullable value, returned: ${inspect(serialized)}`,
      );
    }
    return serialized;
  };
}

function abstractCompleter(type: GraphQLAbstractType): Completer {
  return (r, field, value, prev, key) => {
    if (value instanceof Error) throw value;
    if (value === null || value === undefined) return null;
    const resolveType = (type.resolveType ?? r.exe.typeResolver) as GraphQLTypeResolver<unknown, unknown>;
    const name = resolveType(value, r.exe.contextValue, field.info, type);
    const runtime = runtimeType(r, type, field, name, value);
    return completeObject(r, field, runtime, value, { prev, key, typename: undefined });
  };
}

/** graphql-js's checks of what `resolveType` answered, with its messages. */
function runtimeType(
  r: Run,
  type: GraphQLAbstractType,
  field: FieldPlan,
  name: unknown,
  value: unknown,
): GraphQLObjectType {
  const where = `for field "${field.parentType.name}.${field.def.name}"`;
  if (name === null || name === undefined) {
    throw new GraphQLError(
      `Abstract type "${type.name}" must resolve to an Object type at runtime ${where}. Either the "${type.name}" type should provide a "resolveType" function or each possible type should provide an "isTypeOf" function.`,
      field.nodes,
    );
  }
  if (isObjectType(name)) {
    throw new GraphQLError(
      "Support for returning GraphQLObjectType from resolveType was removed in graphql-js@16.0.0 please return type name instead.",
    );
  }
  if (typeof name !== "string") {
    throw new GraphQLError(
      `Abstract type "${type.name}" must resolve to an Object type at runtime ${where} with value ${inspect(value)}, received "${inspect(name)}".`,
    );
  }
  const runtime = r.exe.schema.getType(name);
  if (runtime === null || runtime === undefined) {
    throw new GraphQLError(
      `Abstract type "${type.name}" was resolved to a type "${name}" that does not exist inside the schema.`,
      { nodes: field.nodes },
    );
  }
  if (!isObjectType(runtime)) {
    throw new GraphQLError(`Abstract type "${type.name}" was resolved to a non-object type "${name}".`, {
      nodes: field.nodes,
    });
  }
  if (!r.exe.schema.isSubType(type, runtime)) {
    throw new GraphQLError(`Runtime Object type "${runtime.name}" is not a possible type for "${type.name}".`, {
      nodes: field.nodes,
    });
  }
  return runtime;
}

function completeObject(r: Run, field: FieldPlan, type: GraphQLObjectType, value: unknown, path: Path): unknown {
  let plan = field.selections?.get(type);
  if (!plan) {
    const { exe } = r;
    plan = selectionPlan(r, type, collectSubfields(exe.schema, exe.fragments, exe.variableValues, type, field.nodes));
    (field.selections ??= new Map()).set(type, plan);
  }
  if (type.isTypeOf && !type.isTypeOf(value, r.exe.contextValue, field.info)) {
    throw new GraphQLError(`Expected value of type "${type.name}" but got: ${inspect(value)}.`, {
      nodes: field.nodes,
    });
  }
  return executeSelection(r, plan, value, path);
}
