/**
 * The file source's split enumerator, bounded or continuously monitoring (Flink's
 * `source.monitor-interval` / `FileSource.monitorContinuously`).
 *
 * Bounded: one scan at start; a reader asking for work when nothing is pending is told there are
 * no more splits. Monitored: the same first scan, then a scan every interval; every file path seen
 * is remembered in the checkpointed `processed` set, so each file is read once — a restored
 * enumerator neither lists a file again (no re-read) nor forgets a file discovered but not yet
 * assigned (it is in `pending`, also checkpointed); assigned splits are in the readers' state.
 * Readers asking for work while nothing is pending wait until a scan finds some.
 * ```text
 * start: scan → pending [a]          reader 0 asks → gets a; asks again → waits
 * b.csv appears; next scan → pending [b] → reader 0 gets b
 * checkpoint: { pending: [], processed: [a, b] }   restore → a and b are never listed again
 * ```
 * Files must appear atomically (written elsewhere and renamed in, or hidden while written, as the
 * file sink does): a visible file is read as it is when its split is opened, and a file that grows
 * after it was discovered is not read again — as in Flink.
 * @module
 */

import { existsSync, statSync } from "node:fs";
import type { SplitEnumerator, SplitEnumeratorContext } from "@weir/api";
import { type FileSplit, fileSplits, listFiles, relativePath } from "./file-split.ts";

export interface FileEnumeratorState {
  readonly pending: readonly FileSplit[] | null;
  /** Monitored mode: the paths of every file discovered so far; null when bounded. */
  readonly processed: readonly string[] | null;
}

export interface FileEnumeratorConfig {
  readonly root: string;
  /** For messages: `table 'orders'`, `FileSource(/data)`. */
  readonly name: string;
  readonly splittable: boolean;
  readonly partitionValuesOf: (relativeFile: string) => (string | null)[];
  /** Scan interval in ms; null for a bounded source. */
  readonly monitorIntervalMs: number | null;
}

export class FileEnumerator implements SplitEnumerator<FileSplit, FileEnumeratorState> {
  readonly #ctx: SplitEnumeratorContext<FileSplit>;
  readonly #config: FileEnumeratorConfig;
  #pending: FileSplit[] | null;
  readonly #processed: Set<string> | null;
  /** Monitored mode: readers that asked for work while nothing was pending. */
  readonly #waiting = new Set<number>();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    ctx: SplitEnumeratorContext<FileSplit>,
    config: FileEnumeratorConfig,
    state: FileEnumeratorState | null,
  ) {
    this.#ctx = ctx;
    this.#config = config;
    this.#pending = state?.pending == null ? null : [...state.pending];
    this.#processed = config.monitorIntervalMs === null ? null : new Set(state?.processed ?? []);
  }

  start(): void {
    if (this.#pending === null) {
      this.#pending = [];
      this.#scan();
    }
    const interval = this.#config.monitorIntervalMs;
    if (interval !== null) {
      this.#timer = setInterval(() => {
        try {
          this.#scan();
        } catch (error) {
          // A failed periodic scan (the directory briefly gone, a file outside the partition
          // layout) is retried at the next interval; what was found so far keeps being read.
          console.warn(
            `${this.#config.name}: scanning '${this.#config.root}' failed: ${(error as Error).message}`,
          );
        }
      }, interval);
      this.#timer.unref?.();
    }
  }

  /** Lists the files under the root and queues the splits of those not seen before. */
  #scan(): void {
    const { root, name, splittable } = this.#config;
    const rootIsFile = existsSync(root) && statSync(root).isFile();
    for (const path of listFiles(root, name)) {
      if (this.#processed?.has(path)) continue;
      let stat: import("node:fs").Stats;
      try {
        stat = statSync(path);
      } catch (error) {
        // Deleted between listing and stat: there is nothing to read.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      const file = {
        path,
        partition: this.#config.partitionValuesOf(relativePath(root, path, rootIsFile)),
        size: stat.size,
        modified: Math.floor(stat.mtimeMs),
      };
      this.#pending!.push(...fileSplits(file, splittable, this.#ctx.parallelism));
      this.#processed?.add(path);
    }
    for (const subtask of [...this.#waiting]) {
      if (this.#pending!.length === 0) break;
      this.#waiting.delete(subtask);
      this.#ctx.assignSplits(subtask, [this.#pending!.shift()!]);
    }
  }

  addReader(): void {}

  handleSplitRequest(subtask: number): void {
    const next = this.#pending?.shift();
    if (next !== undefined) this.#ctx.assignSplits(subtask, [next]);
    else if (this.#processed !== null) this.#waiting.add(subtask);
    else this.#ctx.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: readonly FileSplit[]): void {
    this.#pending = [...splits, ...(this.#pending ?? [])];
  }

  snapshotState(): FileEnumeratorState {
    return {
      pending: this.#pending === null ? null : [...this.#pending],
      processed: this.#processed === null ? null : [...this.#processed],
    };
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
