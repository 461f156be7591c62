/**
 * The sink interface: a writer per parallel subtask and, for two-phase commit, a committer.
 *
 * Sequence seen by one writer over `r1 r2 [checkpoint 1] r3 END`:
 * ```text
 * write([r1, r2])                  // batches; a returned promise pauses the task (backpressure)
 * flush(false); prepareCommit()    // at the checkpoint barrier: pre-commit, committables recorded
 * committer.commit(c1)             // after checkpoint 1 completes everywhere
 * write([r3]); flush(true)         // end of input
 * prepareCommit()                  // in the next checkpoint (2), which the ended task takes part in
 * committer.commit(c2)             // after checkpoint 2 completes: only now is r3 published
 * close()                          // when the job finishes
 * ```
 * Without checkpointing the end of input is the only commit point: `flush(true); prepareCommit();
 * committer.commit(c2)` at once. With checkpointing the last output waits for a checkpoint, as in
 * Flink: another task may still fail and restore checkpoint 1, and r3 would be written again.
 * @module
 */

/** Services the runtime gives a writer. @public */
export interface SinkWriterContext {
  readonly indexOfSubtask: number;
  readonly parallelism: number;
  readonly attemptNumber: number;
}

/** Writes records of one subtask. @public */
export interface SinkWriter<T, CommT = never> {
  /**
   * Writes a batch. The array is only valid during the call (copy what you keep). Returning a
   * promise pauses the task until it settles: this is how a slow sink slows its sources.
   */
  write(records: readonly T[]): void | Promise<void>;
  /** Makes everything written so far durable or pending; `endOfInput` on the final call. */
  flush(endOfInput: boolean): void | Promise<void>;
  /** Pre-commit: the committables for everything flushed since the last call (two-phase sinks). */
  prepareCommit?(): readonly CommT[] | Promise<readonly CommT[]>;
  close(): void | Promise<void>;
}

/**
 * Commits what writers pre-committed. Must be idempotent: after a failure the same committable may
 * be committed again.
 * @public
 */
export interface Committer<CommT> {
  commit(committables: readonly CommT[]): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** A sink: a writer factory plus an optional committer for exactly-once delivery. @public */
export interface Sink<T, CommT = never> {
  createWriter(ctx: SinkWriterContext): SinkWriter<T, CommT>;
  createCommitter?(): Committer<CommT>;
}
