/**
 * Parses the SQL type names of a DataStream Parquet schema (`"BIGINT NOT NULL"`, `"DECIMAL(10, 2)"`,
 * `"ARRAY<STRING>"`, `"MAP<STRING, INT>"`, `"ROW<a INT, b STRING>"`) into logical types without
 * loading the SQL engine into DataStream jobs. Defaults follow Flink: DECIMAL = DECIMAL(10, 0),
 * TIME = TIME(0), TIMESTAMP = TIMESTAMP(6), CHAR = CHAR(1), VARCHAR = VARCHAR(1); STRING and BYTES
 * have the maximum length. Other type names parse to their bare kind, refused by the schema mapping.
 * @module
 */

import type { LogicalRowType, LogicalType } from "@weir/sql";

const MAX_LENGTH = 2147483647;

class Cursor {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  #skip(): void {
    while (/\s/.test(this.#text[this.#pos] ?? "")) this.#pos++;
  }

  /** The next word (letters, digits, `_`), or null. */
  word(): string | null {
    this.#skip();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.#text.slice(this.#pos));
    if (match === null) return null;
    this.#pos += match[0].length;
    return match[0];
  }

  /** Consumes `symbol` when it comes next. */
  take(symbol: string): boolean {
    this.#skip();
    if (!this.#text.startsWith(symbol, this.#pos)) return false;
    this.#pos += symbol.length;
    return true;
  }

  /** Consumes the keywords `words` when they come next (case-insensitive). */
  takeWords(...words: string[]): boolean {
    const start = this.#pos;
    for (const w of words) {
      if (this.word()?.toUpperCase() !== w) {
        this.#pos = start;
        return false;
      }
    }
    return true;
  }

  number(): number {
    this.#skip();
    const match = /^\d+/.exec(this.#text.slice(this.#pos));
    if (match === null) throw this.error("a number");
    this.#pos += match[0].length;
    return Number(match[0]);
  }

  expect(symbol: string): void {
    if (!this.take(symbol)) throw this.error(`'${symbol}'`);
  }

  get atEnd(): boolean {
    this.#skip();
    return this.#pos >= this.#text.length;
  }

  error(expected: string): Error {
    return new Error(`expected ${expected} at position ${this.#pos + 1}`);
  }
}

/** `(n)` or `(p, s)` after a type name: the numbers given. */
function parameters(c: Cursor): number[] {
  if (!c.take("(")) return [];
  const values = [c.number()];
  while (c.take(",")) values.push(c.number());
  c.expect(")");
  return values;
}

function parseType(c: Cursor): LogicalType {
  const word = c.word();
  if (word === null) throw c.error("a type name");
  const name = word.toUpperCase();
  let type: LogicalType;
  if (name === "ARRAY") {
    c.expect("<");
    const element = parseType(c);
    c.expect(">");
    type = { kind: "ARRAY", element, nullable: true };
  } else if (name === "MAP") {
    c.expect("<");
    const key = parseType(c);
    c.expect(",");
    const value = parseType(c);
    c.expect(">");
    type = { kind: "MAP", key, value, nullable: true };
  } else if (name === "ROW") {
    let close = ">";
    if (!c.take("<")) {
      c.expect("(");
      close = ")";
    }
    const fields: { name: string; type: LogicalType }[] = [];
    do {
      const field = c.word();
      if (field === null) throw c.error("a field name");
      fields.push({ name: field, type: parseType(c) });
    } while (c.take(","));
    c.expect(close);
    type = { kind: "ROW", fields, nullable: true } satisfies LogicalRowType;
  } else if (name === "TIMESTAMP" && c.takeWords("WITH", "LOCAL", "TIME", "ZONE")) {
    type = timestamp("TIMESTAMP_LTZ", parameters(c));
  } else {
    type = scalar(name, parameters(c));
  }
  if (c.takeWords("NOT", "NULL")) return { ...type, nullable: false };
  c.takeWords("NULL");
  return type;
}

function timestamp(kind: "TIMESTAMP" | "TIMESTAMP_LTZ", args: number[]): LogicalType {
  if (args.length > 1) throw new Error(`${kind} takes one parameter`);
  return { kind, precision: args[0] ?? 6, timeAttribute: null, nullable: true };
}

function scalar(name: string, args: number[]): LogicalType {
  const none = () => {
    if (args.length > 0) throw new Error(`${name} takes no parameters`);
  };
  const one = () => {
    if (args.length > 1) throw new Error(`${name} takes one parameter`);
  };
  switch (name) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "DATE":
      none();
      return { kind: name, nullable: true } as LogicalType;
    case "INT":
    case "INTEGER":
      none();
      return { kind: "INT", nullable: true };
    case "STRING":
      none();
      return { kind: "VARCHAR", length: MAX_LENGTH, nullable: true };
    case "BYTES":
      none();
      return { kind: "VARBINARY", length: MAX_LENGTH, nullable: true };
    case "CHAR":
    case "VARCHAR":
    case "BINARY":
    case "VARBINARY":
      one();
      return { kind: name, length: args[0] ?? 1, nullable: true };
    case "DECIMAL":
    case "NUMERIC":
    case "DEC": {
      const precision = args[0] ?? 10;
      const scale = args[1] ?? 0;
      if (args.length > 2 || precision < 1 || precision > 38 || scale > precision)
        throw new Error(
          `DECIMAL(${precision}, ${scale}): precision must be 1..38 and scale at most the precision`,
        );
      return { kind: "DECIMAL", precision, scale, nullable: true };
    }
    case "TIME":
      one();
      return { kind: "TIME", precision: args[0] ?? 0, nullable: true };
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return timestamp(name, args);
    default:
      return { kind: name, nullable: true } as unknown as LogicalType;
  }
}

/** The logical type named by `text`; throws saying what is wrong and where. */
export function parseTypeName(text: string): LogicalType {
  const c = new Cursor(text);
  const type = parseType(c);
  if (!c.atEnd) throw c.error("the end of the type");
  return type;
}
