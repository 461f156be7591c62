/**
 * `@weir/api`: everything a Weir job depends on, and nothing else (zero dependencies). The runtime,
 * SQL engine and connectors implement these interfaces; user code never imports runtime internals.
 * @module
 */

export {
  ASYNC_PROCESS_DEFAULTS,
  type AsyncContext,
  type AsyncProcessFunction,
  type AsyncProcessOptions,
  type AsyncRetryOptions,
  type ResolvedAsyncProcessOptions,
  resolveAsyncProcessOptions,
} from "./async.ts";
// nats part (issue 8): the bad-record policy shared by source connectors.
export { type BadRecordPolicy, DroppedRecordLog, validateBadRecordPolicy } from "./bad-record-policy.ts";
export { BuiltinFuncs } from "./builtin/funcs.ts";
export { type CollectSink, isCollectSink, Sinks } from "./builtin/sinks.ts";
export {
  type GeneratorOptions,
  type IndexRangeEnumeratorState,
  type IndexRangeSplit,
  Sources,
} from "./builtin/sources.ts";
export type {
  ApplyPartitionFunction,
  Collector,
  JobInfo,
  NonPartitionedContext,
  PartitionedContext,
  ProcessingTimeManager,
  RuntimeContext,
  TaskInfo,
  TwoOutputApplyPartitionFunction,
  TwoOutputNonPartitionedContext,
} from "./contexts.ts";
export type { ExecutionEnvironment, FromCollectionOptions, JobExecutionResult } from "./environment.ts";
export { ExecutionMode } from "./execution-mode.ts";
export {
  EventTimeExtension,
  type EventTimeExtractor,
  type OneInputEventTimeStreamProcessFunction,
  type TwoInputEventTimeStreamProcessFunction,
  type WatermarkGeneratorBuilder,
} from "./extensions/event-time.ts";
export {
  type AlignmentHook,
  type EventTimeHook,
  type EventTimeManager,
  ExtensionHooks,
  type PeriodicHook,
} from "./extensions/extension-hooks.ts";
export {
  type IntervalJoinBounds,
  type JoinFunction,
  Joins,
  type JoinType,
  type OuterJoinFunction,
} from "./extensions/join/index.ts";
export {
  type AggregateWindowFunction,
  type AlignedWindowOptions,
  type GlobalWindowStrategy,
  type LateRecordHandler,
  type ProcessWindowFunction,
  type SessionWindowOptions,
  type SessionWindowStrategy,
  type SlidingWindowStrategy,
  type TimeType,
  type TimeWindow,
  TimeWindows,
  type TumblingWindowStrategy,
  type WindowFunction,
  WindowFunctions,
  type WindowOptions,
  type WindowOutput,
  WindowStrategy,
  Windows,
} from "./extensions/window/index.ts";
export type {
  OneInputStreamProcessFunction,
  ProcessFunction,
  TwoInputBroadcastStreamProcessFunction,
  TwoInputNonBroadcastStreamProcessFunction,
  TwoOutputStreamProcessFunction,
  WatermarkHandling,
} from "./functions.ts";
export { defineJob, isJobDefinition, type JobBuilder, type JobDefinition } from "./job.ts";
export type { KeySelector, KeyValue } from "./key.ts";
export type { Committer, Sink, SinkWriter, SinkWriterContext } from "./sink.ts";
export {
  Boundedness,
  InputStatus,
  type ReaderOutput,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from "./source.ts";
export {
  type AggregateFunction,
  type AggregatingState,
  type AggregatingStateDeclaration,
  type BroadcastState,
  type BroadcastStateDeclaration,
  type ListState,
  type ListStateDeclaration,
  type ListStateOptions,
  type MapState,
  type MapStateDeclaration,
  RedistributionMode,
  type ReducingState,
  type ReducingStateDeclaration,
  type StateDeclaration,
  StateDeclarations,
  type StateHandleFor,
  type StateManager,
  type StateOptions,
  type StateTtlConfig,
  type ValueState,
  type ValueStateDeclaration,
} from "./state.ts";
export type {
  BroadcastStream,
  ConfigurableGlobalStream,
  ConfigurableKeyedStream,
  ConfigurableNonKeyedStream,
  GlobalStream,
  KeyedPartitionStream,
  NonKeyedPartitionStream,
  ProcessConfigurable,
  SinkHandle,
  TwoGlobalStreams,
  TwoNonKeyedPartitionStreams,
} from "./streams.ts";
export {
  type BooleanCombine,
  type BooleanWatermark,
  type BooleanWatermarkDeclaration,
  type DefaultWatermarkHandling,
  type NumericCombine,
  type NumericWatermark,
  type NumericWatermarkDeclaration,
  type Watermark,
  type WatermarkDeclaration,
  type WatermarkDeclarationOptions,
  WatermarkDeclarations,
  WatermarkHandlingResult,
  type WatermarkManager,
} from "./watermark.ts";
