/**
 * Registry reverts in words in the browser: the revert data in a viem error, decoded by the same module the
 * command-line tools use (scripts/lib/revert-reasons.ts) with the registries' ABIs.
 */
import { describeRevert, errorsOf, type KnownError } from "../../../scripts/lib/revert-reasons";
import { ABIS } from "./abis";

let known: ReadonlyMap<string, KnownError> | undefined;

/** Revert data (0x + selector …) anywhere in an error chain (viem nests the node's answer in `cause`). */
export function revertDataOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): string | undefined => {
    if (typeof value !== "object" || value === null || depth > 8 || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ["data", "raw"]) {
      const data = record[key];
      if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
    }
    for (const key of ["cause", "error", "data", "info"]) {
      const found = visit(record[key], depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error, 0);
}

/** The registry's reason for a reverted call, in words, or undefined when the error is no revert. */
export function describeRevertError(error: unknown): string | undefined {
  const data = revertDataOf(error);
  if (data === undefined) return undefined;
  known ??= errorsOf(Object.values(ABIS) as never);
  return describeRevert(data, known) ?? `reverted with unknown data ${data.slice(0, 10)}`;
}
