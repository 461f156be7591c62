/**
 * `@weir/runtime/testing`: the runtime internals that `@weir/testing` builds its operator harness
 * on. Not part of the public API: job code never imports this subpath, and these exports may change
 * with the runtime. Everything here is a re-export; this module adds no behaviour of its own.
 * @module
 */

export { redistributeOperatorState } from "./checkpoint/state-redistribution.ts";
export {
  S3_TEST_CREDENTIALS,
  type S3TestServer,
  startS3TestServer,
} from "./checkpoint/storage/s3-test-server.ts";
export { NO_TIMESTAMP } from "./exchange/batch.ts";
export { defaultMaxParallelism, InvalidJobError } from "./graph/job-graph.ts";
export {
  assertParallelism,
  hashKey,
  keyGroupForKey,
  keyGroupRangeForOperator,
  operatorIndexForKeyGroup,
} from "./keys/key-hash.ts";
export { AsyncProcessingError } from "./operators/async/async-attempts.ts";
export type { AsyncInFlightElement } from "./operators/async/async-queue.ts";
export { ASYNC_IN_FLIGHT_STATE, AsyncProcessOperator } from "./operators/async-process-operator.ts";
export { BroadcastProcessOperator } from "./operators/broadcast-process-operator.ts";
export { OneInputProcessOperator } from "./operators/one-input-process-operator.ts";
export type { OperatorEnvironment } from "./operators/operator-environment.ts";
export type { Output } from "./operators/output.ts";
export type { ProcessOperatorBase } from "./operators/process-operator-base.ts";
export type { OperatorSnapshot, StreamOperator } from "./operators/stream-operator.ts";
export { TwoInputProcessOperator } from "./operators/two-input-process-operator.ts";
export { TwoOutputProcessOperator } from "./operators/two-output-process-operator.ts";
export { ManualClock, type ProcessingClock } from "./time/processing-clock.ts";
export { UserCodeError } from "./user-code-error.ts";
export { buildWatermarkRegistry } from "./watermark/watermark-registry.ts";
