/**
 * Flink's `tableau` result rendering: a boxed table with right-aligned cells, optionally with the
 * row-kind column `op` first (the changelog view), and the summary line Flink prints under it.
 * ```text
 * +----+-------+-----+
 * | op |  name | cnt |
 * +----+-------+-----+
 * | +I | Alice |   1 |
 * +----+-------+-----+
 * Received a total of 1 row
 * ```
 * Invariant: every line of one table has the same display width (wide characters count two
 * columns, as in Flink's client), so the box lines up in a terminal.
 * @module
 */

/** Terminal columns a string takes: East Asian wide and full-width characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd)
        ? 2
        : 1;
  }
  return width;
}

/** The boxed table lines for `columns` and `rows` (cells already formatted). */
export function renderTableau(columns: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((name, c) =>
    rows.reduce((max, row) => Math.max(max, displayWidth(row[c] ?? "")), displayWidth(name)),
  );
  const border = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const line = (cells: readonly string[]) =>
    `|${cells.map((cell, c) => ` ${" ".repeat(widths[c]! - displayWidth(cell))}${cell} `).join("|")}|`;
  return [border, line(columns), border, ...rows.map(line), border];
}

/** `Empty set`, `1 row in set`, `3 rows in set`: Flink's summary of a final (batch) result. */
export function rowsInSetSummary(count: number): string {
  return count === 0 ? "Empty set" : `${count} row${count === 1 ? "" : "s"} in set`;
}

/** `Received a total of 3 rows`: Flink's summary of a changelog (streaming) result. */
export function receivedSummary(count: number): string {
  return `Received a total of ${count} row${count === 1 ? "" : "s"}`;
}
