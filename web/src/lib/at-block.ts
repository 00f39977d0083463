/**
 * Graph-node time travel for any query text: `block: {number: N}` added to each root field. Apart from
 * lib/graphql.ts, which imports it only when a block is chosen, so that the graphql parser stays out of the entry.
 */
import { Kind, parse, print, visit, type FieldNode, type OperationDefinitionNode } from "graphql";
import { QueryError } from "./graphql";

/** `query` with `block: {number: N}` on each root field of its operations that has no `block` argument. */
export function atBlock(query: string, block: number): string {
  if (!Number.isInteger(block) || block < 0) throw new QueryError(`not a block number: ${block}`);
  const doc = parse(query);
  const arg = {
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: "block" },
    value: {
      kind: Kind.OBJECT,
      fields: [
        {
          kind: Kind.OBJECT_FIELD,
          name: { kind: Kind.NAME, value: "number" },
          value: { kind: Kind.INT, value: String(block) },
        },
      ],
    },
  } as const;
  return print(
    visit(doc, {
      OperationDefinition(op: OperationDefinitionNode) {
        const selections = op.selectionSet.selections.map((s) => {
          if (s.kind !== Kind.FIELD || s.name.value === "__typename") return s;
          if ((s.arguments ?? []).some((a) => a.name.value === "block")) return s;
          return { ...s, arguments: [...(s.arguments ?? []), arg] } as FieldNode;
        });
        return { ...op, selectionSet: { ...op.selectionSet, selections } };
      },
    }),
  );
}
