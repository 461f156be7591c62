/**
 * The list of golden cases the engine is known to get wrong (`golden/known-failures.txt`). Each
 * line names a case and why it fails; such a case keeps its correct expectation and is reported as
 * node:test `todo`, never as a pass, so the suite is green for what works and honest about the rest.
 *
 * Line format (`#` starts a comment line):
 * ```text
 * functions/strings.sql:42 [batch] | REGEXP_EXTRACT returns '' instead of NULL on no match
 * errors/ddl.sql | CREATE TABLE … LIKE is not implemented
 * ```
 * The key is a file (every case in it), `file:line` (one statement, both modes) or either followed
 * by ` [streaming]` / ` [batch]` (that mode only). The most specific key wins.
 * @module
 */

import { readFileSync } from "node:fs";

export class KnownFailures {
  readonly #reasons = new Map<string, string>();
  /** Keys that matched a case during this run, to report stale entries. */
  readonly #used = new Set<string>();

  constructor(text: string, source: string) {
    text.split("\n").forEach((raw, index) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) return;
      const bar = line.indexOf(" | ");
      if (bar < 0) throw new Error(`${source}:${index + 1}: expected "<case> | <reason>"`);
      this.#reasons.set(line.slice(0, bar).trim(), line.slice(bar + 3).trim());
    });
  }

  static read(path: string): KnownFailures {
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return new KnownFailures(text, path);
  }

  /** The reason a case is known to fail, or null. `file` is relative to the golden directory. */
  reasonFor(file: string, line: number, mode: string): string | null {
    for (const key of [`${file}:${line} [${mode}]`, `${file}:${line}`, `${file} [${mode}]`, file]) {
      const reason = this.#reasons.get(key);
      if (reason !== undefined) {
        this.#used.add(key);
        return reason;
      }
    }
    return null;
  }

  /** Entries that named no case of this run (renamed or removed cases). */
  unused(): string[] {
    return [...this.#reasons.keys()].filter((key) => !this.#used.has(key));
  }
}
