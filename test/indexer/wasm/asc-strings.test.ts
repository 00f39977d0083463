import { expect } from "chai";
import { AscHeap } from "../../../indexer/wasm/asc";
import { DeterministicError } from "../../../indexer/wasm/errors";

/** A heap over a bare memory with a bump allocator: the string ABI alone. */
function bareHeap(): { heap: AscHeap; mem: () => Uint8Array; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let top = 64;
  const exports = {
    memory,
    allocate: (size: number): number => {
      const p = top;
      top += size + 16 - (size % 16);
      return p;
    },
    id_of_type: (i: number): number => i,
  };
  return { heap: new AscHeap(exports, new Map()), mem: () => new Uint8Array(memory.buffer), memory };
}

/** A string object holding these UTF-16 code units as they are (unpaired surrogates and NULs included). */
function rawString(heap: AscHeap, mem: () => Uint8Array, units: number[]): number {
  const ptr = heap.writeString("x".repeat(units.length));
  units.forEach((u, i) => {
    mem()[ptr + 2 * i] = u & 0xff;
    mem()[ptr + 2 * i + 1] = u >> 8;
  });
  return ptr;
}

describe("indexer/wasm AssemblyScript strings", () => {
  it("reads back short and long strings of every kind as written", () => {
    const { heap } = bareHeap();
    const strings = [
      "",
      "id",
      "millTestReport",
      "CURRENT",
      "héllo wörld",
      "𝄞 clef",
      "0x" + "ab".repeat(40),
      "ü".repeat(15),
    ];
    for (const s of strings) expect(heap.readString(heap.writeString(s)), s).to.equal(s);
  });

  it("drops NULs and rejects unpaired surrogates the same below and above the short-string length", () => {
    const { heap, mem } = bareHeap();
    for (const pad of [0, 40]) {
      const tail = Array.from({ length: pad }, () => 0x61);
      expect(heap.readString(rawString(heap, mem, [0x61, 0, 0x62, ...tail]))).to.equal("ab" + "a".repeat(pad));
      expect(heap.readString(rawString(heap, mem, [0xd834, 0xdd1e, ...tail]))).to.equal("𝄞" + "a".repeat(pad));
      for (const bad of [[0xd834, 0x61], [0xdd1e], [0x61, 0xd834]]) {
        expect(() => heap.readString(rawString(heap, mem, [...bad, ...tail])), `${bad} +${pad}`).to.throw(
          DeterministicError,
          "invalid UTF-16",
        );
      }
    }
  });

  it("writes each UTF-16 code unit as it is, short or long, lone surrogates included, after the memory grows", () => {
    const { heap, mem, memory } = bareHeap();
    const unitsAt = (ptr: number, n: number): number[] =>
      Array.from({ length: n }, (_, i) => mem()[ptr + 2 * i] | (mem()[ptr + 2 * i + 1] << 8));
    const codeUnits = (s: string): number[] => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
    const strings = ["ab\ud834c", "x".repeat(24), "y".repeat(25), "é\udd1e𝄞".repeat(12), "0x" + "cd".repeat(32)];
    for (const grow of [false, true]) {
      if (grow) memory.grow(1);
      for (const s of strings) {
        const ptr = heap.writeString(s);
        expect(unitsAt(ptr, s.length), `${s.length} units${grow ? ", grown" : ""}`).to.deep.equal(codeUnits(s));
      }
    }
  });
});
