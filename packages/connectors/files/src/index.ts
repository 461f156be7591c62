/**
 * The files connector: an exactly-once file sink. See {@link FileSink}.
 * @module
 */

export type { FileCommittable, FileFormat, FileSinkOptions, RollingPolicy } from "./file-sink.ts";
export { FileSink } from "./file-sink.ts";
