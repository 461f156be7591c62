/**
 * Checkpoint storage: blob stores (local directory, S3), the checkpoint file format, and the
 * checkpoint store with its pure restore and retention decisions. Start at `checkpoint-store.ts`.
 * @module
 */

export { InvalidBlobKeyError, validateBlobKey, validateBlobPrefix } from "./blob-key.ts";
export type { BlobStore } from "./blob-store.ts";
export {
  CHECKPOINT_FILE_VERSION,
  CheckpointFormatError,
  type CheckpointFormatProblem,
  decodeCheckpointFile,
  encodeCheckpointFile,
} from "./checkpoint-format.ts";
export {
  type CheckpointLog,
  CheckpointStore,
  type CheckpointStoreOptions,
  type CheckpointToWrite,
  type RestorableCheckpoint,
} from "./checkpoint-store.ts";
export {
  DEFAULT_CHECKPOINT_DIRECTORY,
  LocalDirectoryBlobStore,
  type LocalDirectoryBlobStoreOptions,
} from "./local-directory-blob-store.ts";
export {
  type CheckpointListingEntry,
  type CheckpointVerdict,
  judgeCheckpoint,
  nextRestoreStep,
  type RestoreStep,
} from "./restore-decision.ts";
export { planRetention } from "./retention-plan.ts";
export { S3BlobStore, type S3BlobStoreOptions, type S3Credentials } from "./s3-blob-store.ts";
