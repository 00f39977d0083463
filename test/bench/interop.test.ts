import { expect } from "chai";
import { runInteropBench } from "../../bench/interop";

describe("bench: trace-interop node throughput (short) @no-coverage", function () {
  it("verifies credentials and receives presentations of 50 credentials, and names the machine", async () => {
    const result = await runInteropBench({ credentials: 20, presentations: 2, clients: 2 });
    expect(result.machine).to.match(/^\d+ × .+, \d+ GiB, Node v\d+/);
    expect(result.credentialsVerifiedPerSecond).to.be.above(0);
    expect(result.presentationsOf50PerSecond).to.be.above(0);
  });
});
