/**
 * Reads keyed state back from the blobs named by {@link KeyedStateHandle}s: every step of every
 * handle in order (full, then deltas), each blob verified before any of its entries is applied.
 *
 * Invariant: an entry reaches the caller only from a blob whose stored bytes match both the file
 * header's checksum and the checksum the handle recorded at checkpoint time; a missing, damaged or
 * swapped blob rejects with an error naming the blob, the operator and the checkpoint.
 * @module
 */

import type { KeyValue } from "@weir/api";
import type { BlobStore } from "../../checkpoint/storage/blob-store.ts";
import { decodeCheckpointFile } from "../../checkpoint/storage/checkpoint-format.ts";
import type { KeyedStateHandle } from "../keyed-state-handle.ts";
import type { KeyId } from "../state-backend.ts";
import { decodeStateBlob, OP_DELETE, type StateBlobEntry } from "./state-changelog-format.ts";
import {
  decodeStateKeyId,
  decodeStateValue,
  keyGroupOfStateKey,
  stateIndexOfStateKey,
} from "./state-key-codec.ts";

/** Calls `onEntry` for every entry of every verified blob, in replay order. */
export async function forEachStateBlobEntry(
  blobs: BlobStore | undefined,
  handles: readonly KeyedStateHandle[],
  operatorName: string,
  onEntry: (states: readonly string[], entry: StateBlobEntry) => void,
): Promise<void> {
  if (blobs === undefined) {
    throw new Error(
      `${operatorName}: the snapshot keeps keyed state in checkpoint storage, but this worker has no checkpoint storage configured to read it from`,
    );
  }
  for (const handle of handles) {
    if (handle.format !== "weir-state-changelog-v1") {
      throw new Error(`${operatorName}: unknown keyed state handle format ${JSON.stringify(handle.format)}`);
    }
    for (const step of handle.steps) {
      for (const ref of step.blobs) {
        const where = `${ref.key} (operator ${operatorName}, checkpoint ${handle.checkpointId})`;
        const bytes = await blobs.get(ref.key);
        if (bytes === undefined) throw new Error(`state blob ${where} is missing from ${blobs.description}`);
        const file = decodeCheckpointFile(bytes, ref.key);
        if (file.sha256 !== ref.sha256) {
          throw new Error(
            `state blob ${where} has checksum ${file.sha256}, but the checkpoint recorded ${ref.sha256}`,
          );
        }
        const { states, entries } = decodeStateBlob(file.payload, ref.key);
        for (const entry of entries) onEntry(states, entry);
      }
    }
  }
}

/** One decoded entry: a put (value defined) or a deletion of `key` in state `state`. */
export interface DecodedStateEntry {
  readonly state: string;
  readonly group: number;
  /** The key's canonical id, as stored. */
  readonly id: KeyId;
  /** The original key (for deletions, the id: the original is not stored with them). */
  readonly key: KeyValue;
  readonly value: unknown;
}

/** Like {@link forEachStateBlobEntry}, with keys and values decoded (restoring into the heap). */
export function readKeyedStateHandles(
  blobs: BlobStore | undefined,
  handles: readonly KeyedStateHandle[],
  operatorName: string,
  onEntry: (entry: DecodedStateEntry) => void,
): Promise<void> {
  return forEachStateBlobEntry(blobs, handles, operatorName, (states, entry) => {
    const state = states[stateIndexOfStateKey(entry.key)];
    if (state === undefined) throw new Error(`${operatorName}: state blob entry names no known state`);
    const id = decodeStateKeyId(entry.key, operatorName);
    const group = keyGroupOfStateKey(entry.key);
    if (entry.op === OP_DELETE) {
      onEntry({ state, group, id, key: id as KeyValue, value: undefined });
      return;
    }
    const { value, key } = decodeStateValue(entry.value!, id);
    onEntry({ state, group, id, key, value });
  });
}
