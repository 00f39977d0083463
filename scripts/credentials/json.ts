/**
 * Strict JSON text parsing for credentials. `JSON.parse` silently keeps the last of duplicate member names; a
 * signed or hashed document must not be read two ways (RFC 7493 I-JSON, which RFC 8785 requires), so this parser
 * rejects duplicates and reports where the text is malformed, as one line. (Reading files: `node-loader.ts`.)
 */
import { CredentialError } from "./errors";
import type { JsonObject, JsonValue } from "./jcs";

/**
 * Longest JSON text accepted, in characters. Credentials and signed payloads are kilobytes; a many-megabyte input
 * is a mistake or an attack, and past some tens of megabytes the later stages fail with stack overflows.
 */
export const MAX_JSON_CHARS = 4 * 1024 * 1024;

/** Parses `text` (RFC 8259 JSON, no duplicate member names). `source` names the input in error messages. */
export function parseJson(text: string, source = "input"): JsonValue {
  if (text.length > MAX_JSON_CHARS) {
    throw new CredentialError(
      `${source} is ${text.length} characters long; JSON inputs over ${MAX_JSON_CHARS} characters are refused`,
    );
  }
  const parser = new Parser(text, source);
  parser.skipWhitespace();
  const value = parser.value(0);
  parser.skipWhitespace();
  if (parser.pos < text.length) parser.fail("unexpected text after the JSON value");
  return value;
}

/** Deeper nesting than this is refused rather than risking the call stack. */
const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// A string token: unescaped characters other than " \ and controls, or a valid escape.
const STRING = new RegExp(String.raw`"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"`, "y");

class Parser {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  fail(reason: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split("\n").length;
    const column = this.pos - before.lastIndexOf("\n");
    throw new CredentialError(`malformed JSON in ${this.source} at line ${line} column ${column}: ${reason}`);
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos])) this.pos++;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    for (const [word, literal] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return literal;
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null)
      this.fail(c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`);
    const n = Number(match[0]);
    if (!Number.isFinite(n)) this.fail(`number ${match[0]} is out of range`);
    this.pos += match[0].length;
    return n;
  }

  string(): string {
    STRING.lastIndex = this.pos;
    const match = STRING.exec(this.text);
    if (match === null) this.fail("malformed string");
    this.pos += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  object(depth: number): JsonObject {
    this.pos++; // {
    const result: JsonObject = {};
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail("expected a member name");
      const keyStart = this.pos;
      const key = this.string();
      if (seen.has(key)) {
        this.pos = keyStart;
        this.fail(`duplicate member name ${JSON.stringify(key)}`);
      }
      seen.add(key);
      this.skipWhitespace();
      this.expect(":");
      this.skipWhitespace();
      // defineProperty, so that a member named "__proto__" stays an ordinary member as with JSON.parse.
      Object.defineProperty(result, key, {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipWhitespace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("}");
      return result;
    }
  }

  array(depth: number): JsonValue[] {
    this.pos++; // [
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      result.push(this.value(depth + 1));
      this.skipWhitespace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      this.expect("]");
      return result;
    }
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) {
      this.fail(this.pos >= this.text.length ? `unexpected end of input, expected '${c}'` : `expected '${c}'`);
    }
    this.pos++;
  }
}
