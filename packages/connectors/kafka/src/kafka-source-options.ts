/**
 * The options of a Kafka source, checked once where the source is built (in every worker, since
 * the job module builds the source object in each thread).
 *
 * Example:
 * ```ts
 * KafkaSource.create({
 *   bootstrapServers: "127.0.0.1:9092",
 *   topics: ["orders"],
 *   deserializer: KafkaDeserializers.json<Order>(),
 *   startingOffsets: "earliest",
 *   isolationLevel: "read_committed",
 *   badRecords: { kind: "drop" },
 * });
 * ```
 * @module
 */

import { type BadRecordPolicy, validateBadRecordPolicy } from "@weir/api";
import { bootstrapList, clientOptionsOf, type KafkaClientOptions } from "./kafka-client-options.ts";
import type { KafkaDeadLetter } from "./kafka-dead-letter.ts";
import type { KafkaRecordDeserializer } from "./kafka-record-deserializer.ts";
import { type StartingOffsets, validateStartingOffsets } from "./starting-offsets.ts";

/** @public */
export interface KafkaSourceOptions<T> extends KafkaClientOptions {
  /** The topics read (one split per partition of each). */
  readonly topics: string | readonly string[];
  readonly deserializer: KafkaRecordDeserializer<T>;
  /**
   * The consumer group: used to look up committed offsets (`startingOffsets: { committed }`) and,
   * with `commitOffsetsOnCheckpoint`, to publish progress. The source never joins the group:
   * partitions are assigned by Weir, positions live in checkpoints. Default `weir-kafka-source`.
   */
  readonly groupId?: string;
  /** Where partitions without a checkpointed position start (default `"earliest"`). */
  readonly startingOffsets?: StartingOffsets;
  /** `"latest"`: a bounded source that ends at the offsets current when the job starts. */
  readonly stoppingOffsets?: "latest";
  /** `read_committed` skips records of aborted and still-open transactions (default `read_uncommitted`). */
  readonly isolationLevel?: "read_committed" | "read_uncommitted";
  /** How often new partitions are looked for, in ms (unbounded only; default 30000; 0 disables). */
  readonly partitionDiscoveryIntervalMs?: number;
  /** Commits the checkpointed offsets to the group when a checkpoint completes (default: true when `groupId` is set). */
  readonly commitOffsetsOnCheckpoint?: boolean;
  /** What happens to records the deserializer rejects (default `{ kind: "fail" }`). */
  readonly badRecords?: BadRecordPolicy<KafkaDeadLetter>;
  /** Longest wait of one fetch for new data, in ms (default 100). */
  readonly fetchMaxWaitMs?: number;
  /** Largest amount fetched per partition per request, in bytes (default 1 MiB). */
  readonly fetchMaxBytesPerPartition?: number;
  /**
   * Event time from the source, per partition (Flink's per-split watermarks): each partition's
   * watermark is its largest timestamp minus `maxOutOfOrdernessMs` minus 1; the reader emits the
   * minimum over its partitions that are neither finished nor idle. A partition without records for
   * `idlenessMs` stops holding event time back; when all are idle the reader says it is idle.
   * Timestamps are the Kafka record timestamps unless `timestamp` extracts one from the element.
   */
  readonly watermarks?: {
    readonly maxOutOfOrdernessMs: number;
    readonly idlenessMs?: number;
    readonly timestamp?: (element: T) => number;
  };
  /** A name for errors and logs (default `KafkaSource`). */
  readonly name?: string;
  /** Where log lines go (default `console.warn`). */
  readonly log?: (line: string) => void;
}

export interface ResolvedKafkaSourceOptions<T> extends KafkaClientOptions {
  readonly name: string;
  readonly topics: readonly string[];
  readonly deserializer: KafkaRecordDeserializer<T>;
  readonly groupId: string;
  readonly startingOffsets: StartingOffsets;
  readonly bounded: boolean;
  readonly readCommitted: boolean;
  readonly partitionDiscoveryIntervalMs: number;
  readonly commitOffsetsOnCheckpoint: boolean;
  readonly badRecords: BadRecordPolicy<KafkaDeadLetter>;
  readonly fetchMaxWaitMs: number;
  readonly fetchMaxBytesPerPartition: number;
  readonly log: (line: string) => void;
  readonly watermarks:
    | {
        readonly maxOutOfOrdernessMs: number;
        readonly idlenessMs: number | undefined;
        readonly timestamp: ((element: T) => number) | undefined;
      }
    | undefined;
}

function nonNegative(name: string, value: number | undefined, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${where}: ${name} must be a non-negative number`);
  return value;
}

export function resolveKafkaSourceOptions<T>(options: KafkaSourceOptions<T>): ResolvedKafkaSourceOptions<T> {
  const name = options.name ?? "KafkaSource";
  bootstrapList(options.bootstrapServers, name);
  const topics = (
    typeof options.topics === "string" ? options.topics.split(",") : [...(options.topics ?? [])]
  )
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (topics.length === 0) throw new Error(`${name}: topics is empty`);
  for (const topic of topics)
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
      throw new Error(`${name}: invalid topic name ${JSON.stringify(topic)}`);
  if (typeof options.deserializer?.deserialize !== "function")
    throw new Error(`${name}: deserializer must have a deserialize(record) method`);
  if (options.stoppingOffsets !== undefined && options.stoppingOffsets !== "latest")
    throw new Error(`${name}: stoppingOffsets must be "latest" or absent`);
  const isolation = options.isolationLevel ?? "read_uncommitted";
  if (isolation !== "read_committed" && isolation !== "read_uncommitted")
    throw new Error(`${name}: isolationLevel must be "read_committed" or "read_uncommitted"`);
  return {
    ...clientOptionsOf(options),
    name,
    topics,
    deserializer: options.deserializer,
    groupId: options.groupId ?? "weir-kafka-source",
    startingOffsets: validateStartingOffsets(options.startingOffsets, name),
    bounded: options.stoppingOffsets === "latest",
    readCommitted: isolation === "read_committed",
    partitionDiscoveryIntervalMs: nonNegative(
      "partitionDiscoveryIntervalMs",
      options.partitionDiscoveryIntervalMs,
      30_000,
      name,
    ),
    commitOffsetsOnCheckpoint: options.commitOffsetsOnCheckpoint ?? options.groupId !== undefined,
    badRecords: validateBadRecordPolicy(options.badRecords, name),
    fetchMaxWaitMs: nonNegative("fetchMaxWaitMs", options.fetchMaxWaitMs, 100, name),
    fetchMaxBytesPerPartition: nonNegative(
      "fetchMaxBytesPerPartition",
      options.fetchMaxBytesPerPartition,
      1024 * 1024,
      name,
    ),
    log: options.log ?? ((line) => console.warn(line)),
    watermarks:
      options.watermarks === undefined
        ? undefined
        : {
            maxOutOfOrdernessMs: nonNegative(
              "watermarks.maxOutOfOrdernessMs",
              options.watermarks.maxOutOfOrdernessMs,
              0,
              name,
            ),
            idlenessMs:
              options.watermarks.idlenessMs === undefined
                ? undefined
                : nonNegative("watermarks.idlenessMs", options.watermarks.idlenessMs, 0, name),
            timestamp: options.watermarks.timestamp,
          },
  };
}
