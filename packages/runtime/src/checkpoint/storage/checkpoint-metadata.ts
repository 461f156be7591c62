/**
 * The `_metadata` object of a checkpoint: which data objects belong to it, with the length and
 * SHA-256 of each payload, plus the coordinator's opaque manifest.
 *
 * Invariant: {@link parseCheckpointMetadata} accepts exactly what {@link encodeCheckpointMetadata}
 * produces for this schema version, so a checkpoint judged valid refers only to well-formed object
 * names, and anything else is reported as `invalid-metadata` (or `unsupported-version`) naming the
 * object, never half-read.
 * @module
 */

import { isValidBlobKey } from "./blob-key.ts";
import { CheckpointFormatError } from "./checkpoint-format.ts";

/** The schema of the JSON payload; separate from the file framing version, which it sits inside. */
export const CHECKPOINT_METADATA_VERSION = 1;

/** One data object of a checkpoint, as the metadata promises it. */
export interface CheckpointObjectEntry {
  /** A blob key relative to the checkpoint's data directory. */
  readonly name: string;
  /** Payload length in bytes (the framed file is 52 bytes longer). */
  readonly length: number;
  /** SHA-256 of the payload, lowercase hex. */
  readonly sha256: string;
}

export interface CheckpointMetadata {
  readonly checkpointId: number;
  readonly objects: readonly CheckpointObjectEntry[];
  /** The coordinator's own description of the checkpoint (operators, source positions); opaque here. */
  readonly manifest: Uint8Array;
}

/** JSON, so that `tail -c +53 _metadata` is readable when someone debugs a broken checkpoint. */
export function encodeCheckpointMetadata(metadata: CheckpointMetadata): Uint8Array {
  const json = {
    version: CHECKPOINT_METADATA_VERSION,
    checkpointId: metadata.checkpointId,
    objects: metadata.objects.map(({ name, length, sha256 }) => ({ name, length, sha256 })),
    manifest: Buffer.from(metadata.manifest).toString("base64"),
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

/** Parses and checks a metadata payload read from `where`; throws {@link CheckpointFormatError}. */
export function parseCheckpointMetadata(payload: Uint8Array, where: string): CheckpointMetadata {
  const invalid = (detail: string) => new CheckpointFormatError("invalid-metadata", where, detail);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  } catch (error) {
    throw invalid(`metadata is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (!isRecord(json)) throw invalid("metadata is not a JSON object");
  if (json.version !== CHECKPOINT_METADATA_VERSION) {
    throw new CheckpointFormatError(
      "unsupported-version",
      where,
      `metadata version ${JSON.stringify(json.version)} is not supported (this build reads ` +
        `${CHECKPOINT_METADATA_VERSION}); was it written by a newer Weir?`,
    );
  }
  if (!isCount(json.checkpointId)) throw invalid("checkpointId is not a non-negative integer");
  if (!Array.isArray(json.objects)) throw invalid("objects is not an array");
  if (typeof json.manifest !== "string" || !BASE64.test(json.manifest))
    throw invalid("manifest is not base64");
  const names = new Set<string>();
  const objects = json.objects.map((entry: unknown, i: number): CheckpointObjectEntry => {
    if (!isRecord(entry)) throw invalid(`objects[${i}] is not an object`);
    const { name, length, sha256 } = entry;
    if (typeof name !== "string" || !isValidBlobKey(name)) {
      throw invalid(`objects[${i}].name ${JSON.stringify(name)} is not a valid object name`);
    }
    if (names.has(name)) throw invalid(`objects[${i}].name ${JSON.stringify(name)} appears twice`);
    names.add(name);
    if (!isCount(length)) throw invalid(`objects[${i}].length is not a non-negative integer`);
    if (typeof sha256 !== "string" || !SHA256_HEX.test(sha256)) {
      throw invalid(`objects[${i}].sha256 is not 64 lowercase hex digits`);
    }
    return { name, length, sha256 };
  });
  return {
    checkpointId: json.checkpointId,
    objects,
    manifest: new Uint8Array(Buffer.from(json.manifest, "base64")),
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
