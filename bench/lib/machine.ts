/** The machine a benchmark ran on, as every `bench/results/*.json` records it. */
import os from "node:os";
import { mb } from "./stats";

export interface Machine {
  cpu: string;
  cores: number;
  memoryMB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the figures were taken: other jobs skew them. */
  loadAverage: number[];
}

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryMB: mb(os.totalmem()),
    node: process.version,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
