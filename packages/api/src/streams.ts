/**
 * Streams carry their partitioning in their type (FLIP-409), so an illegal combination is a compile
 * error, not a runtime surprise:
 * - {@link NonKeyedPartitionStream}: each parallel instance is a partition (sources produce these);
 * - {@link KeyedPartitionStream}: each key is a partition; state and timers are per key;
 * - {@link GlobalStream}: exactly one partition (parallelism 1);
 * - {@link BroadcastStream}: every partition sees every record; only usable as a second input.
 *
 * Conversions: `keyBy` hashes records to key groups, `shuffle` spreads them round-robin, `global`
 * gathers them into one partition, `broadcast` copies them to all. Staying on one partitioning
 * (e.g. `process` on a non-keyed stream) keeps records in their subtask, so the runtime can chain
 * the operators into one task with plain function calls between them.
 * @module
 */

import type { AsyncProcessFunction, AsyncProcessOptions } from "./async.ts";
import type {
  OneInputStreamProcessFunction,
  TwoInputBroadcastStreamProcessFunction,
  TwoInputNonBroadcastStreamProcessFunction,
  TwoOutputStreamProcessFunction,
} from "./functions.ts";
import type { KeySelector, KeyValue } from "./key.ts";
import type { Sink } from "./sink.ts";

/**
 * Settings of the operator that produced a stream. Each returns the same stream for chaining.
 * @public
 */
export interface ProcessConfigurable<Self> {
  /** A human-readable name, shown in logs, errors and the dashboard. */
  withName(name: string): Self;
  /**
   * A stable id that maps this operator's state across job versions and savepoints. Unique per job.
   * Without it, the id is derived from the operator's position in the graph.
   */
  withUid(uid: string): Self;
  /** The number of parallel instances (default: the job's parallelism). */
  withParallelism(parallelism: number): Self;
  /** The number of key groups: the upper bound for rescaling keyed state (default 128). */
  withMaxParallelism(maxParallelism: number): Self;
}

/** A sink attached to a stream; configurable like an operator. @public */
export interface SinkHandle extends ProcessConfigurable<SinkHandle> {}

/** Two non-keyed streams produced by one two-output function. @public */
export interface TwoNonKeyedPartitionStreams<OUT1, OUT2>
  extends ProcessConfigurable<TwoNonKeyedPartitionStreams<OUT1, OUT2>> {
  readonly first: NonKeyedPartitionStream<OUT1>;
  readonly second: NonKeyedPartitionStream<OUT2>;
}

/** Two global streams produced by one two-output function. @public */
export interface TwoGlobalStreams<OUT1, OUT2> extends ProcessConfigurable<TwoGlobalStreams<OUT1, OUT2>> {
  readonly first: GlobalStream<OUT1>;
  readonly second: GlobalStream<OUT2>;
}

/** Operations every partitioned stream kind offers. @public */
interface PartitioningConversions<T> {
  /** Partitions by key: records with the same key meet in the same partition. */
  keyBy<K extends KeyValue>(selector: KeySelector<T, K>): KeyedPartitionStream<K, T>;
  /** Spreads records round-robin over the downstream subtasks. */
  shuffle(): NonKeyedPartitionStream<T>;
  /** Gathers every record into a single partition. */
  global(): GlobalStream<T>;
  /** Copies every record to every partition; usable only as the second input of `connectAndProcess`. */
  broadcast(): BroadcastStream<T>;
  /** Writes the stream to a sink. */
  toSink(sink: Sink<T, unknown>): SinkHandle;
}

/**
 * Built-in extensions, each a process function underneath (see `BuiltinFuncs`); they chain with
 * their input like any `process` call.
 * @public
 */
interface RecordExtensions<T, Out> {
  /** One output per input. */
  map<O>(
    fn: (record: T) => O,
  ): Out extends "global" ? ConfigurableGlobalStream<O> : ConfigurableNonKeyedStream<O>;
  /** Keeps records for which `predicate` is true. */
  filter(
    predicate: (record: T) => boolean,
  ): Out extends "global" ? ConfigurableGlobalStream<T> : ConfigurableNonKeyedStream<T>;
  /** Zero or more outputs per input. */
  flatMap<O>(
    fn: (record: T) => Iterable<O>,
  ): Out extends "global" ? ConfigurableGlobalStream<O> : ConfigurableNonKeyedStream<O>;
}

/** A non-keyed stream that is also the config handle of the operator producing it. @public */
export type ConfigurableNonKeyedStream<T> = NonKeyedPartitionStream<T> &
  ProcessConfigurable<ConfigurableNonKeyedStream<T>>;

/** A keyed stream that is also the config handle of the operator producing it. @public */
export type ConfigurableKeyedStream<K extends KeyValue, T> = KeyedPartitionStream<K, T> &
  ProcessConfigurable<ConfigurableKeyedStream<K, T>>;

/** A global stream that is also the config handle of the operator producing it. @public */
export type ConfigurableGlobalStream<T> = GlobalStream<T> & ProcessConfigurable<ConfigurableGlobalStream<T>>;

/** Each parallel instance is a partition. Sources produce non-keyed streams. @public */
export interface NonKeyedPartitionStream<T>
  extends PartitioningConversions<T>,
    RecordExtensions<T, "non-keyed"> {
  readonly kind: "non-keyed";
  process<OUT>(fn: OneInputStreamProcessFunction<T, OUT, never>): ConfigurableNonKeyedStream<OUT>;
  processTwoOutput<OUT1, OUT2>(
    fn: TwoOutputStreamProcessFunction<T, OUT1, OUT2, never>,
  ): TwoNonKeyedPartitionStreams<OUT1, OUT2>;
  /**
   * Runs `fn` asynchronously on every record of this partition: up to `options.capacity` records
   * are in flight at once; their results come back through the task's mailbox and are emitted in
   * input order (or, with `ordered: false`, as they complete, never across a watermark), with the
   * input record's timestamp. A full operator pauses its input (backpressure); attempts that time
   * out (`timeoutMs`) or reject are retried (`retry`), then the job fails, or `onTimeout` supplies
   * the outputs. In-flight records are part of the operator's snapshot. The output stays in this
   * partition (chains with its input). See `AsyncProcessFunction` for the full contract.
   *
   * @example
   * ```ts
   * const enriched = orders.processAsync(
   *   { processRecordAsync: async (order) => [{ ...order, customer: await lookup(order.customerId) }] },
   *   { capacity: 100, timeoutMs: 1_000, retry: { maxAttempts: 3, backoffMs: 100 } },
   * ).withName("Enrich orders");
   * ```
   */
  processAsync<OUT>(
    fn: AsyncProcessFunction<T, OUT>,
    options?: AsyncProcessOptions,
  ): ConfigurableNonKeyedStream<OUT>;
  connectAndProcess<T2, OUT>(
    other: NonKeyedPartitionStream<T2>,
    fn: TwoInputNonBroadcastStreamProcessFunction<T, T2, OUT, never>,
  ): ConfigurableNonKeyedStream<OUT>;
  connectAndProcess<T2, OUT>(
    other: BroadcastStream<T2>,
    fn: TwoInputBroadcastStreamProcessFunction<T, T2, OUT, never>,
  ): ConfigurableNonKeyedStream<OUT>;
}

/**
 * Each key is a partition. State and processing-time timers of functions on this stream are scoped
 * to the key of the record being processed.
 * @public
 */
export interface KeyedPartitionStream<K extends KeyValue, T>
  extends PartitioningConversions<T>,
    RecordExtensions<T, "non-keyed"> {
  readonly kind: "keyed";
  /** Output is non-keyed: the function may emit records of any key. */
  process<OUT>(fn: OneInputStreamProcessFunction<T, OUT, K>): ConfigurableNonKeyedStream<OUT>;
  /**
   * Output stays keyed without a shuffle: the caller guarantees that `newKeySelector` yields, for
   * every output record, the key of the input record it came from.
   */
  process<OUT>(
    fn: OneInputStreamProcessFunction<T, OUT, K>,
    newKeySelector: KeySelector<OUT, K>,
  ): ConfigurableKeyedStream<K, OUT>;
  /**
   * Runs `fn` asynchronously on every record (see `NonKeyedPartitionStream.processAsync` for the
   * contract). The output is non-keyed: results arrive later, when another key is current, so the
   * async function has no keyed state; use a keyed `process` before or after it for that. Ordered
   * mode keeps the input order of this subtask, which includes the order of each key's records.
   *
   * @example
   * ```ts
   * orders
   *   .keyBy((order) => order.customerId)
   *   .processAsync({ processRecordAsync: async (order) => [await price(order)] }, { ordered: true });
   * ```
   */
  processAsync<OUT>(
    fn: AsyncProcessFunction<T, OUT>,
    options?: AsyncProcessOptions,
  ): ConfigurableNonKeyedStream<OUT>;
  processTwoOutput<OUT1, OUT2>(
    fn: TwoOutputStreamProcessFunction<T, OUT1, OUT2, K>,
  ): TwoNonKeyedPartitionStreams<OUT1, OUT2>;
  /** Joins with another stream keyed by the same key type; both sides see the same current key. */
  connectAndProcess<T2, OUT>(
    other: KeyedPartitionStream<K, T2>,
    fn: TwoInputNonBroadcastStreamProcessFunction<T, T2, OUT, K>,
  ): ConfigurableNonKeyedStream<OUT>;
  connectAndProcess<T2, OUT>(
    other: BroadcastStream<T2>,
    fn: TwoInputBroadcastStreamProcessFunction<T, T2, OUT, K>,
  ): ConfigurableNonKeyedStream<OUT>;
  /**
   * Running reduction per key: emits the reduced value after every record. The output stays keyed
   * by the same key (no shuffle before a following keyed operation).
   */
  reduce(fn: (accumulated: T, record: T) => T): ConfigurableKeyedStream<K, T>;
}

/** Exactly one partition (parallelism 1). @public */
export interface GlobalStream<T> extends PartitioningConversions<T>, RecordExtensions<T, "global"> {
  readonly kind: "global";
  process<OUT>(fn: OneInputStreamProcessFunction<T, OUT, never>): ConfigurableGlobalStream<OUT>;
  /**
   * Runs `fn` asynchronously on every record of the single partition (see
   * `NonKeyedPartitionStream.processAsync` for the contract); the output stays global.
   *
   * @example
   * ```ts
   * totals.global().processAsync({ processRecordAsync: async (total) => [await publish(total)] });
   * ```
   */
  processAsync<OUT>(
    fn: AsyncProcessFunction<T, OUT>,
    options?: AsyncProcessOptions,
  ): ConfigurableGlobalStream<OUT>;
  processTwoOutput<OUT1, OUT2>(
    fn: TwoOutputStreamProcessFunction<T, OUT1, OUT2, never>,
  ): TwoGlobalStreams<OUT1, OUT2>;
  connectAndProcess<T2, OUT>(
    other: GlobalStream<T2>,
    fn: TwoInputNonBroadcastStreamProcessFunction<T, T2, OUT, never>,
  ): ConfigurableGlobalStream<OUT>;
}

/** Every partition of the other input sees every record. Only a second input. @public */
export interface BroadcastStream<T> {
  readonly kind: "broadcast";
  /** Phantom field carrying the record type; never set at run time. */
  readonly __type?: T;
}
