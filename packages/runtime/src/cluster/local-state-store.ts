/**
 * A TaskManager's task-local state copies (Flink's `state.backend.local-recovery`): for each task it
 * ran, the snapshot the task sent with its checkpoint acknowledgement, kept in the TaskManager's
 * working directory so a task that returns to this TaskManager restores without receiving its
 * state. The snapshot is opaque here (whatever the task acknowledged with), so this works however
 * state backends write their state.
 *
 * On-disk backends (LMDB) acknowledge only handles to state blobs in the checkpoint storage; their
 * slot threads keep local copies of those blobs in `<dir>/<job id>/blobs/` (see `LocalBlobCache`),
 * so a local restore reads no state remotely either.
 *
 * Layout: `<dir>/<job id>/chk-<id>/<vertex>-<subtask>.state`, each file a SHA-256 line then the
 * v8-serialized snapshot; written to a temporary name and renamed, so a file is whole or absent.
 * Invariant: once checkpoint c of a job completed, copies of that job's older checkpoints are
 * deleted, and so are the local blobs of checkpoint c or older that no remaining copy references;
 * a read of a missing, truncated or altered copy throws, saying which and why (the caller then
 * restores from the checkpoint storage).
 * @module
 */

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { pruneLocalBlobs } from "../checkpoint/storage/local-blob-cache.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import { blobKeysOf } from "../state/keyed-state-handle.ts";

const JOB_ID = /^[a-f0-9]{32}$/;

export class LocalStateStore {
  readonly #dir: string;
  /**
   * The state blob keys each copy references, by job, then checkpoint, then copy file. Kept in
   * memory: this process wrote every copy there is (the directory starts empty).
   */
  readonly #blobRefs = new Map<string, Map<number, Map<string, readonly string[]>>>();

  /** Starts empty: copies a previous process left behind are unknown to the JobManager. */
  constructor(dir: string) {
    this.#dir = dir;
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Not removable (e.g. not a directory path at all): writes fail later and are logged.
    }
  }

  #checkpointDir(jobId: string, checkpointId: number): string {
    if (!JOB_ID.test(jobId)) throw new Error(`malformed job id ${JSON.stringify(jobId)}`);
    if (!Number.isSafeInteger(checkpointId) || checkpointId < 1)
      throw new Error(`malformed checkpoint id ${checkpointId}`);
    return join(this.#dir, jobId, `chk-${checkpointId}`);
  }

  #file(jobId: string, checkpointId: number, vertex: number, subtask: number): string {
    return join(this.#checkpointDir(jobId, checkpointId), `${vertex}-${subtask}.state`);
  }

  write(jobId: string, checkpointId: number, vertex: number, subtask: number, snapshot: unknown): void {
    const path = this.#file(jobId, checkpointId, vertex, subtask);
    mkdirSync(this.#checkpointDir(jobId, checkpointId), { recursive: true });
    const bytes = serialize(snapshot);
    const digest = createHash("sha256").update(bytes).digest("hex");
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.concat([Buffer.from(`${digest}\n`), bytes]));
    renameSync(temp, path);
    const keys = stateBlobKeys(snapshot);
    const job = this.#blobRefs.get(jobId) ?? new Map<number, Map<string, readonly string[]>>();
    this.#blobRefs.set(jobId, job);
    const copies = job.get(checkpointId) ?? new Map<string, readonly string[]>();
    job.set(checkpointId, copies);
    copies.set(path, keys);
  }

  /** Where the slot threads of a job keep their local copies of its state blobs. */
  blobDirectory(jobId: string): string {
    if (!JOB_ID.test(jobId)) throw new Error(`malformed job id ${JSON.stringify(jobId)}`);
    return join(this.#dir, jobId, "blobs");
  }

  /** The copy of task `vertex/subtask` for the checkpoint; throws when missing or corrupt. */
  read(jobId: string, checkpointId: number, vertex: number, subtask: number): unknown {
    const path = this.#file(jobId, checkpointId, vertex, subtask);
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch (error) {
      throw new Error(
        `no local copy of task ${vertex}/${subtask} for checkpoint ${checkpointId} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    const newline = content.indexOf(10);
    const digest = newline === 64 ? content.subarray(0, 64).toString() : "";
    const bytes = content.subarray(newline + 1);
    if (newline !== 64 || createHash("sha256").update(bytes).digest("hex") !== digest)
      throw new Error(
        `the local copy of task ${vertex}/${subtask} for checkpoint ${checkpointId} is corrupt (checksum mismatch) in ${path}`,
      );
    return deserialize(bytes);
  }

  /** Checkpoint `checkpointId` of the job completed: older copies are no longer needed. */
  completed(jobId: string, checkpointId: number): void {
    if (!JOB_ID.test(jobId)) return;
    let names: string[];
    try {
      names = readdirSync(join(this.#dir, jobId));
    } catch {
      return;
    }
    for (const name of names) {
      const id = Number(/^chk-(\d+)$/.exec(name)?.[1]);
      if (Number.isSafeInteger(id) && id < checkpointId)
        rmSync(join(this.#dir, jobId, name), { recursive: true, force: true });
    }
    const job = this.#blobRefs.get(jobId);
    for (const id of job?.keys() ?? []) if (id < checkpointId) job!.delete(id);
    const keep = new Set<string>();
    for (const copies of job?.values() ?? [])
      for (const keys of copies.values()) for (const key of keys) keep.add(key);
    pruneLocalBlobs(this.blobDirectory(jobId), keep, checkpointId);
  }

  /** The checkpoints of a job this store holds copies for (tests and logs). */
  checkpoints(jobId: string): number[] {
    try {
      return readdirSync(join(this.#dir, jobId))
        .map((name) => Number(/^chk-(\d+)$/.exec(name)?.[1]))
        .filter(Number.isSafeInteger)
        .sort((a, b) => a - b);
    } catch {
      return [];
    }
  }

  /** The job ended: every copy of it goes. */
  discard(jobId: string): void {
    if (!JOB_ID.test(jobId)) return;
    rmSync(join(this.#dir, jobId), { recursive: true, force: true });
    this.#blobRefs.delete(jobId);
  }
}

/** The state blobs an acknowledged snapshot (the operator snapshots of one task) references. */
function stateBlobKeys(snapshot: unknown): string[] {
  if (!Array.isArray(snapshot)) return [];
  return (snapshot as Partial<OperatorSnapshot>[]).flatMap((operator) =>
    (operator?.keyedHandles ?? []).flatMap(blobKeysOf),
  );
}
