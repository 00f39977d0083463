/** A `hardhat node` child process on a free loopback port: the devnet of `npm start`, and of tests that need a real HTTP JSON-RPC node. */
import { spawn, type ChildProcess } from "child_process";
import { createServer } from "net";
import { resolve } from "path";

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

export interface HardhatNode {
  url: string;
  stop(): Promise<void>;
  /** SIGKILL: the node dies without a chance to clean up (fault tests). */
  kill(): Promise<void>;
}

/** Starts `hardhat node` on `port`; `config` is another hardhat config file (e.g. one with a different clock). */
export async function startHardhatNode(port: number, config?: string): Promise<HardhatNode> {
  const root = resolve(__dirname, "..", "..");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: "true",
    HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
    GRAPH_SKIP_NEW_VERSION_CHECK: "true",
  };
  delete env.HARDHAT_NETWORK;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      resolve(root, "node_modules", "hardhat", "internal", "cli", "bootstrap.js"),
      ...(config ? ["--config", config] : []),
      "node",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const onErr = (d: Buffer): void => {
    output += d.toString();
  };
  let onData: (d: Buffer) => void = () => {};
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`hardhat node did not start:\n${output}`)), 60_000);
    onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onErr);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`hardhat node exited with ${code}:\n${output}`));
    });
  });
  // The node logs every request; stop collecting it (re-scanning a growing string costs real CPU).
  child.stdout!.off("data", onData);
  child.stderr!.off("data", onErr);
  child.stdout!.resume();
  child.stderr!.resume();
  const end = (signal: NodeJS.Signals) => (): Promise<void> =>
    new Promise<void>((ok) => {
      if (child.exitCode !== null || child.signalCode !== null) return ok();
      child.once("exit", () => ok());
      child.kill(signal);
    });
  return { url: `http://127.0.0.1:${port}`, stop: end("SIGTERM"), kill: end("SIGKILL") };
}
