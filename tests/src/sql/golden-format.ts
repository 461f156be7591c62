/**
 * The golden SQL file format: a plain SQL script whose comments carry the expected outcome of the
 * statement they follow. Parsing keeps every statement's exact offsets, so the runner can blank a
 * statement out (spaces, newlines kept) without moving any other statement's line:column.
 *
 * A file (worked example):
 * ```sql
 * -- Header comment: what the cases check and where the expectations come from.
 * -- parallelism: 2                 (optional; default 1)
 * -- modes: streaming               (optional; default "streaming, batch")
 * CREATE TEMPORARY VIEW t (a, b) AS VALUES (1, 'x'), (2, 'y');
 *
 * SELECT a, b FROM t WHERE a > 1;
 * -- expect:
 * -- {"a": 2, "b": "y"}
 *
 * SELECT a FROM t ORDER BY a DESC;
 * -- expect ordered:
 * -- {"a": 2}
 * -- {"a": 1}
 *
 * SELECT nope FROM t;
 * -- expect error: line 13, column 8: Column 'nope' not found
 *
 * SHOW TABLES;
 * -- expect table:
 * -- ["t"]
 *
 * EXPLAIN SELECT a FROM t;
 * -- expect contains:
 * -- Calc(select=[a])
 *
 * CREATE TABLE s (a INT) WITH ('connector' = 'filesystem', 'path' = '${sink}/s', 'format' = 'csv');
 * -- expect ok
 * ```
 * Expected rows are JSON objects in the `--format jsonl` mapping (columns by name, in order);
 * `-- expect:` compares them as a multiset, `-- expect ordered:` as a list (in batch mode; a
 * streaming changelog materializes in arrival order, so there it compares as a multiset too).
 * `expect table` compares SHOW / DESCRIBE / SET rows exactly; `expect contains` checks that each
 * following comment line occurs in the table's text (cells joined by " | ", rows by newlines) and
 * ends at the first line that is not a comment; `expect ok` takes DDL / SET (optionally a message
 * substring) and finished INSERTs. An error expectation
 * gives an optional `line L, column C:` position and a case-insensitive message substring. `${data}`
 * in the text stands for the file's directory, `${sink}` for a fresh directory per run. A file
 * never reads a sink table before a later INSERT into it: after a failure the runner reruns the
 * file's queries against the sink rows already written.
 *
 * Invariant: every expectation belongs to exactly one *unit*: the statement that ends last before
 * the expectation's first comment line. `BEGIN STATEMENT SET; …; END;` and `EXECUTE STATEMENT SET
 * BEGIN …; END;` are one unit each.
 * @module
 */

export type Expectation =
  | { readonly kind: "rows"; readonly ordered: boolean; readonly rows: readonly Record<string, unknown>[] }
  | {
      readonly kind: "error";
      readonly line: number | null;
      readonly column: number | null;
      readonly message: string;
    }
  | { readonly kind: "table"; readonly rows: readonly (readonly string[])[] }
  | { readonly kind: "contains"; readonly fragments: readonly string[] }
  | { readonly kind: "ok"; readonly message: string };

export interface Unit {
  /** Offsets into the file text: from the first token to just past the closing `;`. */
  readonly start: number;
  readonly end: number;
  /** 1-based position of the unit's first token. */
  readonly line: number;
  readonly column: number;
  /** 1-based line of the closing `;`. */
  readonly endLine: number;
  /** Upper-cased first word(s), e.g. `SELECT`, `CREATE`, `BEGIN STATEMENT SET`. */
  readonly leading: string;
  readonly expectation: Expectation | null;
}

export type RuntimeMode = "streaming" | "batch";

export interface GoldenFile {
  readonly text: string;
  readonly units: readonly Unit[];
  readonly parallelism: number;
  readonly modes: readonly RuntimeMode[];
}

/** A malformed golden file; the message says which line is wrong. */
export class GoldenFormatError extends Error {
  override readonly name = "GoldenFormatError";
}

interface RawStatement {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly words: string;
}

/** Splits SQL text at top-level `;`, skipping strings, quoted identifiers and comments. */
function splitStatements(text: string): RawStatement[] {
  const statements: RawStatement[] = [];
  let line = 1;
  let lineStart = 0;
  let start = -1;
  let startLine = 0;
  let startColumn = 0;
  let i = 0;
  const markStart = (): void => {
    if (start < 0) {
      start = i;
      startLine = line;
      startColumn = i - lineStart + 1;
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\n") {
      line++;
      i++;
      lineStart = i;
    } else if (ch === "-" && text[i + 1] === "-") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      const stop = close < 0 ? text.length : close + 2;
      for (; i < stop; i++) {
        if (text[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
      }
    } else if (ch === "'" || ch === '"' || ch === "`") {
      markStart();
      i++;
      while (i < text.length) {
        if (text[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
        if (text[i] === ch) {
          if (text[i + 1] === ch) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (ch === ";") {
      if (start >= 0) {
        const words = leadingWords(text.slice(start, i));
        statements.push({ start, end: i + 1, line: startLine, column: startColumn, endLine: line, words });
      }
      start = -1;
      i++;
    } else {
      if (!/\s/.test(ch)) markStart();
      i++;
    }
  }
  if (start >= 0 && text.slice(start).trim() !== "") {
    throw new GoldenFormatError(`line ${startLine}: the last statement does not end with ';'`);
  }
  return statements;
}

function leadingWords(statement: string): string {
  return statement
    .replace(/\s+/g, " ")
    .trim()
    .split(" ")
    .slice(0, 4)
    .join(" ")
    .toUpperCase()
    .replace(/[(;].*$/, "");
}

/** Merges the statements of a statement set into one unit's extent. */
function groupStatementSets(statements: readonly RawStatement[]): RawStatement[] {
  const units: RawStatement[] = [];
  for (let i = 0; i < statements.length; i++) {
    const first = statements[i]!;
    const isSet = /^(BEGIN|EXECUTE) STATEMENT SET/.test(first.words);
    if (!isSet) {
      units.push(first);
      continue;
    }
    let j = i;
    while (j < statements.length && !/^END\b/.test(statements[j]!.words)) j++;
    if (j === statements.length) {
      throw new GoldenFormatError(`line ${first.line}: statement set without END`);
    }
    const last = statements[j]!;
    units.push({ ...first, end: last.end, endLine: last.endLine, words: first.words });
    i = j;
  }
  return units;
}

const EXPECT = /^-- expect( ordered)?:\s*$|^-- expect (error|table|contains|ok)\b:?\s*(.*)$/;

/** Parses one golden file; throws {@link GoldenFormatError} naming the line of a malformed block. */
export function parseGoldenFile(text: string): GoldenFile {
  const units = groupStatementSets(splitStatements(text));
  const lines = text.split("\n");
  const expectations = new Map<number, Expectation>();
  let parallelism = 1;
  let modes: RuntimeMode[] = ["streaming", "batch"];
  for (let index = 0; index < lines.length; index++) {
    const lineText = lines[index]!.trimEnd();
    const lineNo = index + 1;
    const directive = /^-- (parallelism|modes):\s*(.*)$/.exec(lineText);
    if (directive !== null && units.every((u) => u.line > lineNo)) {
      if (directive[1] === "parallelism") {
        parallelism = Number(directive[2]);
        if (!Number.isInteger(parallelism) || parallelism < 1) {
          throw new GoldenFormatError(`line ${lineNo}: parallelism must be a positive integer`);
        }
      } else {
        modes = directive[2]!.split(",").map((m) => m.trim()) as RuntimeMode[];
        if (modes.length === 0 || modes.some((m) => m !== "streaming" && m !== "batch")) {
          throw new GoldenFormatError(`line ${lineNo}: modes must list streaming and/or batch`);
        }
      }
      continue;
    }
    const match = EXPECT.exec(lineText);
    if (match === null) continue;
    const owner = lastUnitBefore(units, lineNo);
    if (owner < 0) throw new GoldenFormatError(`line ${lineNo}: expectation before any statement`);
    if (expectations.has(owner)) {
      throw new GoldenFormatError(
        `line ${lineNo}: a second expectation for the statement on line ${units[owner]!.line}`,
      );
    }
    const kind = match[2];
    // Row and table lines are JSON (`{…}` / `[…]`); `contains` fragments are any text.
    const bodyLine = kind === "contains" ? /^-- \S/ : /^-- [[{]/;
    const body: string[] = [];
    while (index + 1 < lines.length && bodyLine.test(lines[index + 1]!.trim())) {
      body.push(lines[index + 1]!.trim().slice(3));
      index++;
    }
    const rest = (match[3] ?? "").trim();
    let expectation: Expectation;
    if (kind === undefined) {
      expectation = {
        kind: "rows",
        ordered: match[1] !== undefined,
        rows: body.map((b, k) => parseRow(b, lineNo + 1 + k)),
      };
    } else if (kind === "error") {
      expectation = parseErrorExpectation(rest, lineNo);
    } else if (kind === "table") {
      expectation = { kind: "table", rows: body.map((b, k) => parseTableRow(b, lineNo + 1 + k)) };
    } else if (kind === "contains") {
      if (body.length === 0) throw new GoldenFormatError(`line ${lineNo}: 'expect contains' needs lines`);
      expectation = { kind: "contains", fragments: body };
    } else {
      expectation = { kind: "ok", message: rest };
    }
    if (kind !== undefined && kind !== "table" && kind !== "contains" && body.length > 0) {
      throw new GoldenFormatError(`line ${lineNo}: 'expect ${kind}' takes no row lines`);
    }
    expectations.set(owner, expectation);
  }
  return {
    text,
    units: units.map((u, k) => ({
      start: u.start,
      end: u.end,
      line: u.line,
      column: u.column,
      endLine: u.endLine,
      leading: u.words,
      expectation: expectations.get(k) ?? null,
    })),
    parallelism,
    modes,
  };
}

function lastUnitBefore(units: readonly RawStatement[], line: number): number {
  let found = -1;
  for (let k = 0; k < units.length; k++) if (units[k]!.endLine <= line) found = k;
  return found;
}

function parseRow(json: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new GoldenFormatError(`line ${line}: expected row is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GoldenFormatError(`line ${line}: an expected row must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function parseTableRow(json: string, line: number): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new GoldenFormatError(`line ${line}: expected table row is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value) || value.some((cell) => typeof cell !== "string")) {
    throw new GoldenFormatError(`line ${line}: an expected table row must be a JSON array of strings`);
  }
  return value as string[];
}

function parseErrorExpectation(rest: string, line: number): Expectation {
  const positioned = /^line (\d+), column (\d+):\s*(.*)$/.exec(rest);
  const message = positioned === null ? rest : positioned[3]!;
  if (message === "") throw new GoldenFormatError(`line ${line}: 'expect error' needs a message substring`);
  return {
    kind: "error",
    line: positioned === null ? null : Number(positioned[1]),
    column: positioned === null ? null : Number(positioned[2]),
    message,
  };
}

/** Leading words of statements that change the session, and so are replayed on every run. */
const SESSION_STATEMENTS = /^(CREATE|DROP|ALTER|SET|RESET|USE|LOAD|UNLOAD|ADD)\b/;

/** True when replaying the unit again in a later run would repeat work or output (jobs). */
export function changesSession(unit: Unit): boolean {
  return SESSION_STATEMENTS.test(unit.leading);
}

/** The text with the given units replaced by spaces; newlines stay, so positions do not move. */
export function blankUnits(text: string, units: Iterable<Unit>): string {
  const chars = text.split("");
  for (const unit of units) {
    for (let i = unit.start; i < unit.end; i++) if (chars[i] !== "\n") chars[i] = " ";
  }
  return chars.join("");
}
