/**
 * "As of block N" time travel: one global block number (or none, for the latest state) that every GraphQL query
 * of the app is asked at: gql() adds `block: { number: N }` to each root field unless told otherwise. Kept in sessionStorage so a reload stays in the past until the user returns to the latest block.
 */
import { useSyncExternalStore } from "react";

const KEY = "tradetrace.asOfBlock";
const listeners = new Set<() => void>();

function stored(): number | undefined {
  try {
    const v = sessionStorage.getItem(KEY);
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
  } catch {
    return undefined;
  }
}

let current: number | undefined = typeof sessionStorage === "undefined" ? undefined : stored();

/** The block the app looks at, or undefined for the latest. */
export function asOfBlock(): number | undefined {
  return current;
}

/** Moves the app to block `n` (undefined: back to the latest); throws on a block that is not a whole number ≥ 0. */
export function setAsOfBlock(n: number | undefined): void {
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0)) {
    throw new Error(`a block number is a whole number from 0 up, not ${n}`);
  }
  current = n;
  try {
    if (n === undefined) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, String(n));
  } catch {
    // Storage may be disabled; the choice then lasts until the page is reloaded.
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The block the app looks at, re-rendering when it changes. */
export function useAsOfBlock(): number | undefined {
  return useSyncExternalStore(subscribe, asOfBlock, asOfBlock);
}
