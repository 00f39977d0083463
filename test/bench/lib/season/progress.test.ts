import { expect } from "chai";
import { peakRssMB, progressPrinter } from "../../../../bench/lib/season/progress";

describe("bench/lib/season/progress", function () {
  it("prints shipments, rates overall and since the last line, memory and what the generator holds", async function () {
    const lines: string[] = [];
    const print = progressPrinter((l) => lines.push(l));
    await new Promise((r) => setTimeout(r, 20));
    print(500, 8761, 1000, { records: 4000, shipments: 300 });
    await new Promise((r) => setTimeout(r, 20));
    print(1000, 8761, 1000, { records: 4100, shipments: 310 });
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^ {2}block 500\/8761: 1000 shipments in \d+ s, \d+\/s \(\d+\/s since the last line/);
    const [, used, committed] = /heap (\d+) of (\d+) MB/.exec(lines[0]) ?? [];
    expect(Number(used)).to.be.at.most(Number(committed));
    expect(lines[0]).to.match(
      /RSS \d+ MB \(peak \d+\), heap \d+ of \d+ MB, external \d+ MB; holding 4000 records, 300 shipments$/,
    );
    expect(lines[1]).to.match(/\(0\/s since the last line, (0|-) per CPU second\)/);
  });

  it("reports the process's peak RSS in MB, at least its RSS now", function () {
    expect(peakRssMB()).to.be.at.least(Math.floor(process.memoryUsage().rss / 1024 / 1024) - 1);
  });
});
