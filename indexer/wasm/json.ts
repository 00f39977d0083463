/**
 * A JSON parser that keeps each number's original text (serde_json `arbitrary_precision`, as graph-node
 * uses) and gives objects as key-sorted entries (BTreeMap; a duplicate key keeps the last value).
 */
export type JsonValue =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; text: string }
  | { kind: "string"; value: string }
  | { kind: "array"; value: JsonValue[] }
  | { kind: "object"; value: [string, JsonValue][] };

export class JsonParseError extends Error {}

const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function parseJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonParseError(`${what} at position ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const value = (depth: number): JsonValue => {
    if (depth > 128) fail("recursion limit exceeded");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const map = new Map<string, JsonValue>();
      ws();
      if (text[i] === "}") {
        i++;
      } else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail("expected a key");
          const k = str();
          ws();
          if (text[i++] !== ":") fail("expected `:`");
          map.set(k, value(depth + 1));
          ws();
          const d = text[i++];
          if (d === "}") break;
          if (d !== ",") fail("expected `,` or `}`");
        }
      }
      return { kind: "object", value: [...map.entries()].sort((a, b) => byUtf8(a[0], b[0])) };
    }
    if (c === "[") {
      i++;
      const items: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
      } else {
        for (;;) {
          items.push(value(depth + 1));
          ws();
          const d = text[i++];
          if (d === "]") break;
          if (d !== ",") fail("expected `,` or `]`");
        }
      }
      return { kind: "array", value: items };
    }
    if (c === '"') return { kind: "string", value: str() };
    for (const [word, v] of [
      ["true", { kind: "bool", value: true }],
      ["false", { kind: "bool", value: false }],
      ["null", { kind: "null" }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m) return fail("expected value");
    i += m[0].length;
    return { kind: "number", text: m[0] };
  };
  const str = (): string => {
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
    if (!m) return fail("invalid string");
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail("trailing characters");
  return v;
}

/** graph-node's json.toI64 / toU64 / toBigInt: the text must be an integer literal. */
export function jsonInteger(text: string): bigint {
  if (!/^-?[0-9]+$/.test(text)) throw new Error(`JSON number \`${text}\` is not an integer`);
  return BigInt(text);
}
