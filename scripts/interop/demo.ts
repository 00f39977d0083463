/**
 * The trace-interop node as `npm start` runs it: data in `<stateDir>/interop`, port 8443 when free (a stable
 * port keeps the node's did:web stable) else any, keys from the keystore when TRADETRACE_INTEROP_PASSWORD is set and
 * in memory otherwise (a demo run; the node says so). `anchoring` connects it to the devnet (scripts/interop/chain.ts).
 */
import path from "node:path";
import type { Anchoring } from "../../interop/server/anchoring";
import { PASSWORD_ENV, KEYS_ENV } from "../../interop/server/keys";
import { createInteropNode, DEFAULT_PORT, type InteropNode, type InteropNodeOptions } from "../../interop/server/node";

export async function startDemoInteropNode(
  stateDir: string,
  stderr: (line: string) => void,
  anchoring?: Anchoring,
): Promise<InteropNode> {
  const options: InteropNodeOptions = {
    dataDir: path.join(stateDir, "interop"),
    ephemeralKeys: true,
    log: stderr,
    anchoring,
  };
  let node: InteropNode;
  try {
    node = await createInteropNode({ ...options, port: DEFAULT_PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    node = await createInteropNode({ ...options, port: 0 });
  }
  if (!process.env[PASSWORD_ENV] && !process.env[KEYS_ENV]) {
    stderr(`  trace-interop keys are in memory for this run (set ${PASSWORD_ENV} to keep them in a keystore)`);
  }
  return node;
}
