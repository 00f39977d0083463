/**
 * Runs queries over a store file in worker threads, so that a slow query blocks neither the indexer (which
 * commits blocks on the main thread) nor the other queries. Each request has a deadline counted from its
 * arrival; when it passes, the request is answered with a JSON error and, if it is running, its worker is
 * terminated and replaced. Termination reaches into a running SQLite statement because the SQL the engine
 * builds for correlated filters calls back into JavaScript (`tt_live()`), where the thread's termination
 * takes effect.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { GraphQLRequest, QueryEngineOptions } from "./engine";
import type { QueryExecutor, QueryResult } from "./executor";
import type { QueryWorkerData, QueryWorkerReply } from "./query-worker";

export interface QueryWorkerPoolOptions {
  /** The SQLite store file (opened read-only by each worker). */
  db: string;
  /** The subgraph's schema.graphql. */
  schema: string;
  /** Worker threads. Default 2. */
  size?: number;
  /** Time from a request's arrival to its answer. Default 10 s. */
  deadlineMs?: number;
  /** Requests waiting for a free worker beyond which new ones are refused. Default 64. */
  maxQueued?: number;
  engine?: Omit<QueryEngineOptions, "trace" | "timeoutMs">;
}

interface Job {
  id: number;
  req: GraphQLRequest;
  /** Called with the answer as UTF-8 JSON. */
  resolve(json: Uint8Array): void;
  timer: NodeJS.Timeout;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

const utf8 = new TextEncoder();
const error = (message: string): Uint8Array =>
  utf8.encode(JSON.stringify({ errors: [{ message }] } satisfies QueryResult));

/**
 * The young generation of a query worker's heap, in MB. A query's rows and answer stay alive until it is
 * answered, so each scavenge of a small young generation copies them (revoked-after-link, 4,461 entities,
 * spent about 10 ms a query in scavenges with V8's default); with room for a whole answer most queries end
 * before the first scavenge and their objects die young.
 */
const YOUNG_GENERATION_MB = 96;

/** The worker's entry point; under ts-node (tests, `npm start`) the thread registers ts-node first. */
function spawn(data: QueryWorkerData): Worker {
  const file = path.join(__dirname, `query-worker${path.extname(__filename)}`);
  const options = { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } };
  if (file.endsWith(".ts")) {
    const tsNode = JSON.stringify(require.resolve("ts-node"));
    const code = `require(${tsNode}).register({ transpileOnly: true }); require(${JSON.stringify(file)});`;
    return new Worker(code, { ...options, eval: true });
  }
  return new Worker(file, options);
}

export class QueryWorkerPool implements QueryExecutor {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly deadlineMs: number;
  private readonly data: QueryWorkerData;

  private constructor(private readonly options: QueryWorkerPoolOptions) {
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.data = {
      db: path.resolve(options.db),
      schema: path.resolve(options.schema),
      engine: { ...options.engine, timeoutMs: this.deadlineMs },
    };
  }

  /** Starts the workers; resolves once each has opened the store. */
  static async start(options: QueryWorkerPoolOptions): Promise<QueryWorkerPool> {
    const pool = new QueryWorkerPool(options);
    try {
      await Promise.all(Array.from({ length: Math.max(1, options.size ?? 2) }, () => pool.addWorker()));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Workers ready to take queries (a replaced one counts once its successor has opened the store). */
  get workers(): number {
    return this.slots.length;
  }

  async execute(req: GraphQLRequest): Promise<QueryResult> {
    return JSON.parse(await this.executeText(req)) as QueryResult;
  }

  async executeText(req: GraphQLRequest): Promise<string> {
    return new TextDecoder().decode(await this.executeBytes(req));
  }

  executeBytes(req: GraphQLRequest): Promise<Uint8Array> {
    if (this.closed) return Promise.resolve(error("the query service is shutting down"));
    if (this.queue.length >= (this.options.maxQueued ?? 64)) {
      return Promise.resolve(error("too many queries are waiting; try again shortly"));
    }
    return new Promise((resolve) => {
      const job: Job = { id: this.nextId++, req, resolve, timer: setTimeout(() => this.expire(job), this.deadlineMs) };
      this.queue.push(job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.finish(job, error("the query service is shutting down"));
    await Promise.all(
      this.slots.splice(0).map((s) => {
        if (s.job) this.finish(s.job, error("the query service is shutting down"));
        return s.worker.terminate();
      }),
    );
  }

  /** Starts one worker and adds it to the pool once it has opened the store. */
  private addWorker(): Promise<void> {
    return new Promise((ready, fail) => {
      const slot: Slot = { worker: spawn(this.data) };
      let started = false;
      slot.worker.on("message", (m: QueryWorkerReply) => {
        if ("ready" in m) {
          started = true;
          if (this.closed) void slot.worker.terminate();
          else this.slots.push(slot);
          ready();
          this.dispatch();
        } else if ("failed" in m) {
          fail(new Error(`query worker: ${m.failed}`));
          void slot.worker.terminate();
        } else if (slot.job?.id === m.id) {
          const job = slot.job;
          slot.job = undefined;
          this.finish(job, m.json);
          this.dispatch();
        }
      });
      slot.worker.on("error", (e) => {
        if (!started) fail(e);
        else this.replace(slot, `query worker failed: ${e.message}`);
      });
      slot.worker.on("exit", () => {
        if (!started) fail(new Error("query worker exited while starting"));
        else if (this.slots.includes(slot)) this.replace(slot, "query worker exited");
      });
    });
  }

  /** Hands waiting jobs to idle workers. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      job.slot = slot;
      slot.worker.postMessage({ id: job.id, req: { ...job.req } });
    }
  }

  private expire(job: Job): void {
    const at = this.queue.indexOf(job);
    if (at >= 0) this.queue.splice(at, 1);
    this.finish(job, error(`query timed out after ${this.deadlineMs} ms`));
    if (job.slot && job.slot.job === job) this.replace(job.slot, null);
  }

  /** Drops a worker (terminating it) and starts another in its place. */
  private replace(slot: Slot, reason: string | null): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (slot.job && reason) this.finish(slot.job, error(reason));
    slot.job = undefined;
    void slot.worker.terminate();
    if (!this.closed) this.addWorker().catch(() => undefined);
  }

  private finish(job: Job, json: Uint8Array): void {
    clearTimeout(job.timer);
    job.resolve(json);
  }
}
