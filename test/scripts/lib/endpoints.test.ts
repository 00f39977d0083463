/** `.tradetrace/endpoints.json` (scripts/lib/endpoints.ts): written by `npm start`, trusted only while its process lives. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { liveEndpoints, removeEndpoints, writeEndpoints, type Endpoints } from "../../../scripts/lib/endpoints";

describe("endpoints file", function () {
  let dir: string;
  let file: string;
  const endpoints = (pid: number): Endpoints => ({
    rpc: "http://127.0.0.1:39001",
    graphql: "http://127.0.0.1:8123/subgraphs/name/tradetrace",
    startedAt: "2026-12-06T06:00:00.000Z",
    pid,
  });

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-endpoints-"));
    file = path.join(dir, "state", "endpoints.json");
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("returns what a live process wrote, every field", function () {
    writeEndpoints(endpoints(process.pid), file);
    expect(liveEndpoints(file)).to.deep.equal(endpoints(process.pid));
  });

  it("ignores a file whose process is gone, and says so", function () {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeEndpoints(endpoints(dead), file);
    expect(liveEndpoints(file)).to.deep.equal({
      missing: `the \`npm start\` of 2026-12-06T06:00:00.000Z (pid ${dead}) is no longer running`,
    });
  });

  it("says that nothing is serving when there is no file, and rejects a file of another shape", function () {
    expect((liveEndpoints(file) as { missing: string }).missing).to.match(
      /endpoints\.json: `npm start` is not serving$/,
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ graphql: 8000 }));
    expect(liveEndpoints(file)).to.deep.equal({ missing: `${file} is not an endpoints file` });
  });

  it("is removed only by the process it names", function () {
    writeEndpoints(endpoints(process.pid), file);
    removeEndpoints(process.pid + 1, file);
    expect(fs.existsSync(file)).to.equal(true);
    removeEndpoints(process.pid, file);
    expect(fs.existsSync(file)).to.equal(false);
    removeEndpoints(process.pid, file); // already gone: no error
  });
});
