/** `log.log`: a handler's log lines, kept for the runner to print with where they came from. */
import { DeterministicError } from "../errors";
import type { HostContext, LogLevel } from "./context";

const LEVELS: LogLevel[] = ["critical", "error", "warning", "info", "debug"];

/** Keeps a log line for the runner; `critical` fails the handler, as in graph-node. */
export function logMessage(ctx: HostContext, level: number, message: string): void {
  const l = LEVELS[level >>> 0] ?? "debug";
  ctx.state!.logs.push({ level: l, message });
  if (l === "critical") throw new DeterministicError(`Critical error logged in mapping with log message: ${message}`);
}
