/**
 * Splits of the file source and how files become splits: the visible files under a root (hidden
 * `.`/`_` files skipped, as Flink and Hadoop do — the file sink's in-progress parts and `_SUCCESS`
 * markers among them), each one split, or, for a line-splittable format and a file larger than
 * {@link MIN_SPLIT_BYTES}, several byte ranges so that parallel readers share it.
 *
 * A range owns every line that *starts* inside it: a reader of a range not starting at 0 skips to
 * the first line start at or after it, and reads the last line past its end. Every line is read by
 * exactly one split:
 * ```text
 * file: a\nbb\nccc\n     ranges [0, 4) and [4, 9): "a" and "bb" (starts at 2) | "ccc" (starts at 5)
 * ```
 * @module
 */

import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { SourceSplit } from "@weir/api";

/** Files smaller than this are never cut into ranges (a range per reader is not worth a seek). */
export const MIN_SPLIT_BYTES = 4 * 1024 * 1024;

/**
 * One file, or one byte range of it. Plain data: it travels to readers and into checkpoints with
 * its position. @public
 */
export interface FileSplit extends SourceSplit {
  /** Absolute path. */
  readonly path: string;
  /** Partition values from the directory names, in partition-key order (NULL = default name). */
  readonly partition: readonly (string | null)[];
  readonly size: number;
  readonly modified: number;
  /** The byte range whose line starts this split owns: `[start, end)`. */
  readonly start: number;
  readonly end: number;
  /**
   * Line formats: byte offset of the next record (at `start` before anything was read).
   * Bulk formats (Parquet): index of the next row of the file.
   */
  readonly position: number;
  /** 1-based line number of the next record, when known (the split starts the file). */
  readonly line: number | null;
}

export function isHidden(name: string): boolean {
  return name.startsWith(".") || name.startsWith("_");
}

/**
 * Every visible file under `root` (or `root` itself when it is a file), sorted by path; `owner`
 * names what reads it in the error for a missing root (`table 'orders'`).
 */
export function listFiles(root: string, owner: string): string[] {
  if (!existsSync(root)) throw new Error(`path '${root}' of ${owner} does not exist`);
  if (statSync(root).isFile()) return [root];
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // A directory removed between listing its parent and reading it has no files.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (isHidden(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  walk(root);
  return files;
}

/** The path of `file` relative to `root`, `/`-separated (its name when `root` is the file). */
export function relativePath(root: string, file: string, rootIsFile: boolean): string {
  return rootIsFile ? file.split(sep).pop()! : relative(root, file).split(sep).join("/");
}

/** The splits of one file: byte ranges of about `size / parallelism` when it may be cut. */
export function fileSplits(
  file: Omit<FileSplit, "splitId" | "start" | "end" | "position" | "line">,
  splittable: boolean,
  parallelism: number,
): FileSplit[] {
  const pieces = splittable ? Math.max(1, Math.min(parallelism, Math.floor(file.size / MIN_SPLIT_BYTES))) : 1;
  const length = Math.ceil(file.size / pieces);
  const splits: FileSplit[] = [];
  for (let k = 0; k < pieces; k++) {
    const start = k * length;
    const end = k === pieces - 1 ? Number.POSITIVE_INFINITY : Math.min(file.size, (k + 1) * length);
    splits.push({
      ...file,
      splitId: `${file.path}@${start}`,
      start,
      end,
      position: start,
      line: start === 0 ? 1 : null,
    });
  }
  return splits;
}
