/**
 * Comparing result rows the way the golden and differential suites need: as multisets (or lists
 * when ORDER BY fixes the order), on a canonical text form of each row in which a non-integer
 * number keeps 12 significant digits. Why 12: engines sum doubles in different orders, which moves
 * the last bits of an AVG or SUM, never the first twelve digits of these small data sets; exact
 * values (integers, DECIMAL strings, text) still compare exactly.
 *
 * Example: rows `[{"a": 0.30000000000000004}]` and `[{"a": 0.3}]` are equal; `[{"a": 1}]` and
 * `[{"a": "1"}]` are not.
 * @module
 */

/** One value in canonical text: object keys in the given order, floats to 12 significant digits. */
export function canonicalValue(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(12)));
  }
  if (Array.isArray(value)) return `[${value.map(canonicalValue).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalValue(v)}`).join(",")}}`;
  }
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value) ?? "undefined";
}

/** A row in canonical text with its fields in `columns` order (missing fields show as undefined). */
export function canonicalRow(row: Readonly<Record<string, unknown>>, columns: readonly string[]): string {
  return `{${columns.map((c) => `${JSON.stringify(c)}:${canonicalValue(c in row ? row[c] : undefined)}`).join(",")}}`;
}

/**
 * Compares actual rows to expected rows; returns null when equal, else a readable description of
 * the difference (rows missing and rows unexpected, or the first differing position when ordered).
 */
export function diffRows(
  actual: readonly Readonly<Record<string, unknown>>[],
  expected: readonly Readonly<Record<string, unknown>>[],
  columns: readonly string[],
  ordered: boolean,
): string | null {
  const actualText = actual.map((r) => canonicalRow(r, columns));
  const expectedText = expected.map((r) => canonicalRow(r, columns));
  if (ordered) {
    const length = Math.max(actualText.length, expectedText.length);
    for (let i = 0; i < length; i++) {
      if (actualText[i] !== expectedText[i]) {
        return (
          `ordered rows differ at position ${i}: expected ${expectedText[i] ?? "(no row)"}, got ${actualText[i] ?? "(no row)"}\n` +
          `expected:\n  ${expectedText.join("\n  ")}\nactual:\n  ${actualText.join("\n  ")}`
        );
      }
    }
    return null;
  }
  const remaining = new Map<string, number>();
  for (const text of expectedText) remaining.set(text, (remaining.get(text) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const text of actualText) {
    const count = remaining.get(text) ?? 0;
    if (count === 0) unexpected.push(text);
    else remaining.set(text, count - 1);
  }
  const missing: string[] = [];
  for (const [text, count] of remaining) for (let i = 0; i < count; i++) missing.push(text);
  if (missing.length === 0 && unexpected.length === 0) return null;
  return (
    `rows differ (as multisets): ${missing.length} missing, ${unexpected.length} unexpected\n` +
    (missing.length > 0 ? `missing:\n  ${missing.sort().join("\n  ")}\n` : "") +
    (unexpected.length > 0 ? `unexpected:\n  ${unexpected.sort().join("\n  ")}\n` : "")
  );
}
