/**
 * Instances that can be put back into their just-instantiated state, so that a trigger need not pay for a new
 * instance (graph-node instantiates per trigger; for a 70 kB mapping that is most of a millisecond). A copy of the
 * module exports every mutable global it defines; the host snapshots memory and those globals right after
 * instantiation and restores them before each trigger: the handler then sees what a fresh instance holds
 * (memory contents, globals, `_start` still runs), except that `memory.size` keeps any growth of earlier
 * triggers (the grown part zeroed, as fresh pages are). Modules that could carry other state (imported memory,
 * tables or globals, passive data segments) are not rewritten and keep fresh instances; the function table is
 * not written by AssemblyScript code (no reference-types instructions), so it needs no reset.
 */

/** A module whose mutable globals are exported under `names` (global index order). */
export interface ResettableModule {
  module: WebAssembly.Module;
  globals: string[];
}

const GLOBAL_PREFIX = "__tt_global_";

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new Error("unexpected end");
    return this.b[this.pos++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new Error("bad LEB128");
    }
  }
  /** Skips a signed LEB128. */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.pos += n;
  }
  name(): void {
    this.skip(this.u32());
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
  /** A constant expression up to its `end`; false when it holds something unexpected. */
  constExpr(): boolean {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return true;
      if (op === 0x41 || op === 0x42) this.skipLeb();
      else if (op === 0x43) this.skip(4);
      else if (op === 0x44) this.skip(8);
      else if (op === 0x23 || op === 0xd2) this.u32();
      else if (op === 0xd0) this.byte();
      else return false;
    }
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let x = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) x |= 0x80;
    out.push(x);
  } while (n !== 0);
  return out;
}

/** The rewritten module, or null when instances of this module must stay fresh. */
export function resettableModule(wasm: Uint8Array): ResettableModule | null {
  try {
    return rewrite(wasm);
  } catch {
    return null;
  }
}

function rewrite(wasm: Uint8Array): ResettableModule | null {
  const r = new Reader(wasm);
  r.skip(8);
  let mutable: number[] = [];
  let exportSection: { start: number; end: number; body: number } | null = null;
  while (r.pos < wasm.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const body = r.pos;
    const end = body + size;
    if (id === 2) {
      // imports: a memory, table or global from outside could hold state the snapshot misses
      for (let n = r.u32(); n > 0; n--) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind !== 0) return null;
        r.u32();
      }
    } else if (id === 6) {
      mutable = [];
      for (let n = r.u32(), i = 0; i < n; i++) {
        r.byte();
        if (r.byte() === 1) mutable.push(i); // no imported globals: indices start at 0
        if (!r.constExpr()) return null;
      }
    } else if (id === 7) {
      exportSection = { start, end, body };
    } else if (id === 11) {
      for (let n = r.u32(); n > 0; n--) {
        const flags = r.u32();
        if (flags !== 0) return null; // passive segments (memory.init / data.drop) or a second memory
        if (!r.constExpr()) return null;
        r.skip(r.u32());
      }
    } else if (id === 12) {
      return null; // a data count section: the module uses memory.init / data.drop
    }
    r.pos = end;
  }
  if (!exportSection) return null;
  const e = new Reader(wasm);
  e.pos = exportSection.body;
  const count = e.u32();
  const entries = wasm.subarray(e.pos, exportSection.end);
  const names = mutable.map((g) => `${GLOBAL_PREFIX}${g}`);
  const added: number[] = [];
  for (let i = 0; i < mutable.length; i++) {
    const name = new TextEncoder().encode(names[i]);
    added.push(...leb(name.length), ...name, 0x03, ...leb(mutable[i]));
  }
  const content = [...leb(count + mutable.length), ...entries, ...added];
  const section = [0x07, ...leb(content.length), ...content];
  const out = new Uint8Array(wasm.length - (exportSection.end - exportSection.start) + section.length);
  out.set(wasm.subarray(0, exportSection.start), 0);
  out.set(section, exportSection.start);
  out.set(wasm.subarray(exportSection.end), exportSection.start + section.length);
  return { module: new WebAssembly.Module(out), globals: names };
}
