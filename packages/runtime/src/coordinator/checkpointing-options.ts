/**
 * A job's checkpointing settings (Flink's `execution.checkpointing.*`): what users set, how each
 * value is checked (a bad one is refused naming the field), the defaults, and the barrier options
 * a checkpoint triggered under them carries.
 * @module
 */

import type { S3BlobStoreOptions } from "../checkpoint/storage/s3-blob-store.ts";
import type { BarrierOptions } from "../exchange/channel-event.ts";

/** Checkpointing settings of a job. @public */
export interface CheckpointingOptions {
  /**
   * Time between two triggers (ms), as Flink's interval. With `maxConcurrent` 1 a trigger that
   * falls due while a checkpoint is in flight waits for its end (then `minPauseMs` applies).
   */
  readonly intervalMs: number;
  /** A checkpoint not complete after this long is abandoned (default 60 000 ms). */
  readonly timeoutMs?: number;
  /** Completed checkpoints to keep (default 1; keep 2 or more to survive a damaged newest one). */
  readonly retained?: number;
  /**
   * Where completed checkpoints are stored (default: a local directory, `.weir/checkpoints`).
   * Each run writes under its own `<job name>-<run id>` sub-prefix; a finished job deletes it.
   */
  readonly storage?: CheckpointStorageOptions;
  /**
   * Unaligned checkpoints (Flink's `execution.checkpointing.unaligned.enabled`, default false):
   * barriers overtake data waiting in buffers, which is persisted with the checkpoint, so
   * checkpoints complete under backpressure.
   */
  readonly unaligned?: boolean;
  /**
   * With `unaligned`: checkpoints start aligned and a task still aligning this long after the
   * trigger switches to unaligned (Flink's `execution.checkpointing.aligned-checkpoint-timeout`);
   * 0 (the default) means unaligned from the start.
   */
  readonly alignedCheckpointTimeoutMs?: number;
  /**
   * Checkpoints in flight at once (Flink's `execution.checkpointing.max-concurrent-checkpoints`,
   * default 1): a new one may start while earlier ones still wait for acknowledgements (a slow
   * upload). Must be 1 with `unaligned`.
   */
  readonly maxConcurrent?: number;
  /**
   * Minimum time from the completion of one checkpoint to the trigger of the next (Flink's
   * `execution.checkpointing.min-pause`, default 0).
   */
  readonly minPauseMs?: number;
}

/** Checkpoint storage: a local directory, S3-compatible object storage, or memory (tests). @public */
export type CheckpointStorageOptions =
  | { readonly kind: "directory"; readonly path?: string }
  | ({ readonly kind: "s3" } & S3BlobStoreOptions)
  | { readonly kind: "memory" };

/** Checkpointing options with every default applied. */
export type CheckedCheckpointingOptions = Required<Omit<CheckpointingOptions, "storage">>;

export function checkCheckpointingOptions(options: CheckpointingOptions): CheckedCheckpointingOptions {
  const timeout = options.alignedCheckpointTimeoutMs ?? 0;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(
      `checkpointing.alignedCheckpointTimeoutMs must be a number >= 0, got ${String(timeout)}`,
    );
  }
  if (options.unaligned !== undefined && typeof options.unaligned !== "boolean") {
    throw new TypeError(`checkpointing.unaligned must be true or false, got ${String(options.unaligned)}`);
  }
  const positive = (field: string, value: unknown) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`checkpointing.${field} must be a positive number, got ${String(value)}`);
    }
    return value;
  };
  const maxConcurrent = options.maxConcurrent ?? 1;
  if (typeof maxConcurrent !== "number" || !Number.isInteger(maxConcurrent) || maxConcurrent < 1)
    throw new RangeError(`checkpointing.maxConcurrent must be an integer >= 1, got ${String(maxConcurrent)}`);
  if (maxConcurrent > 1 && options.unaligned === true)
    throw new RangeError(
      `checkpointing.maxConcurrent is ${maxConcurrent}, but unaligned checkpoints run one at a time ` +
        "(as in Flink): set it to 1 or turn unaligned off",
    );
  const minPauseMs = options.minPauseMs ?? 0;
  if (typeof minPauseMs !== "number" || !Number.isFinite(minPauseMs) || minPauseMs < 0)
    throw new RangeError(`checkpointing.minPauseMs must be a number >= 0, got ${String(minPauseMs)}`);
  return {
    intervalMs: positive("intervalMs", options.intervalMs),
    timeoutMs: positive("timeoutMs", options.timeoutMs ?? 60_000),
    retained: Math.floor(positive("retained", options.retained ?? 1)),
    unaligned: options.unaligned ?? false,
    alignedCheckpointTimeoutMs: timeout,
    maxConcurrent,
    minPauseMs,
  };
}

/** The barrier options of a checkpoint triggered now (as Flink's CheckpointOptions). */
export function barrierOptionsFor(options: CheckedCheckpointingOptions, triggeredAt: number): BarrierOptions {
  if (!options.unaligned) return {};
  if (options.alignedCheckpointTimeoutMs === 0) return { unaligned: true, triggeredAt };
  return { alignedTimeoutMs: options.alignedCheckpointTimeoutMs, triggeredAt };
}
