/**
 * Checkpoints on a {@link BlobStore}: writing one, finding the newest restorable one, and retention.
 * The decisions are made by the pure `restore-decision.ts` and `retention-plan.ts`; this file is
 * the I/O edge that gathers their facts and carries out their answers.
 *
 * Invariant: `_metadata` is written last and deleted first. A checkpoint therefore counts as
 * complete only after all its data objects are durably stored, and a crash during a write or
 * during retention leaves an incomplete checkpoint (ignored, later cleaned up), never one that
 * looks complete but is not.
 * @module
 */

import { validateBlobKey } from "./blob-key.ts";
import type { BlobStore } from "./blob-store.ts";
import {
  CheckpointFormatError,
  decodeCheckpointFile,
  encodeCheckpointFile,
  storedChecksum,
} from "./checkpoint-format.ts";
import {
  checkCheckpointId,
  checkpointPrefix,
  dataKey,
  metadataKey,
  parseCheckpointListing,
  SHARED_PREFIX,
  sharedBlobCheckpointId,
  sharedRefsKey,
} from "./checkpoint-layout.ts";
import {
  type CheckpointMetadata,
  type CheckpointObjectEntry,
  encodeCheckpointMetadata,
  parseCheckpointMetadata,
} from "./checkpoint-metadata.ts";
import {
  type CheckpointVerdict,
  judgeCheckpoint,
  type MetadataFact,
  nextRestoreStep,
  type ObjectFact,
} from "./restore-decision.ts";
import { planRetention } from "./retention-plan.ts";

/** Receives one human-readable line per decision worth telling an operator about. */
export type CheckpointLog = (message: string) => void;

export interface CheckpointToWrite {
  /** Data objects by name; a name is a blob key relative to the checkpoint (`op-3/subtask-0`). */
  readonly objects: ReadonlyMap<string, Uint8Array>;
  /** The coordinator's description of the checkpoint, stored in `_metadata`. Default empty. */
  readonly manifest?: Uint8Array;
  /**
   * Keys of shared blobs (under `shared/`) the checkpoint needs, written by workers before the
   * checkpoint completed. Recorded beside the checkpoint; retention deletes a shared blob only
   * once no retained checkpoint lists it.
   */
  readonly sharedBlobs?: readonly string[];
}

/** A checkpoint read back and verified in full; the bytes are exactly the ones checked. */
export interface RestorableCheckpoint {
  readonly checkpointId: number;
  readonly manifest: Uint8Array;
  readonly objects: ReadonlyMap<string, Uint8Array>;
}

export interface CheckpointStoreOptions {
  /** How many objects are read or written at once. Default 8. */
  readonly concurrency?: number;
}

export class CheckpointStore {
  readonly blobs: BlobStore;
  readonly #concurrency: number;

  constructor(blobs: BlobStore, options: CheckpointStoreOptions = {}) {
    this.blobs = blobs;
    this.#concurrency = options.concurrency ?? 8;
    if (!Number.isSafeInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
  }

  /**
   * Writes checkpoint `checkpointId`: every data object, then `_metadata`. Rejects if the id is
   * already complete (ids are never reused). Leftovers of an earlier failed attempt at the same id
   * are overwritten or left for retention; they are never referenced, since only the new
   * `_metadata` decides what belongs to the checkpoint.
   */
  async write(checkpointId: number, checkpoint: CheckpointToWrite): Promise<void> {
    checkCheckpointId(checkpointId);
    for (const name of checkpoint.objects.keys()) validateBlobKey(name);
    if (await this.blobs.exists(metadataKey(checkpointId))) {
      throw new Error(
        `checkpoint ${checkpointId} already exists in ${this.blobs.description}; ids are never reused`,
      );
    }
    const entries: CheckpointObjectEntry[] = [];
    await forEachConcurrently([...checkpoint.objects], this.#concurrency, async ([name, payload]) => {
      const file = encodeCheckpointFile(payload);
      await this.blobs.put(dataKey(checkpointId, name), file);
      entries.push({ name, length: payload.byteLength, sha256: storedChecksum(file) });
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (checkpoint.sharedBlobs !== undefined && checkpoint.sharedBlobs.length > 0) {
      for (const key of checkpoint.sharedBlobs) {
        validateBlobKey(key);
        if (!key.startsWith(SHARED_PREFIX))
          throw new Error(`shared blob ${JSON.stringify(key)} is not under ${SHARED_PREFIX}`);
      }
      // Before `_metadata`: a complete checkpoint always has its reference list.
      const refs = new TextEncoder().encode(JSON.stringify([...new Set(checkpoint.sharedBlobs)].sort()));
      await this.blobs.put(sharedRefsKey(checkpointId), encodeCheckpointFile(refs));
    }
    const metadata: CheckpointMetadata = {
      checkpointId,
      objects: entries,
      manifest: checkpoint.manifest ?? new Uint8Array(0),
    };
    await this.blobs.put(metadataKey(checkpointId), encodeCheckpointFile(encodeCheckpointMetadata(metadata)));
  }

  /** Ids of the checkpoints whose `_metadata` exists, ascending. Says nothing about their integrity. */
  async listCompleted(): Promise<number[]> {
    return parseCheckpointListing(await this.blobs.list())
      .filter((entry) => entry.complete)
      .map((entry) => entry.checkpointId);
  }

  /**
   * The newest checkpoint that reads back intact, or `undefined` if there is none. Newer ones that
   * are incomplete or damaged are skipped, each with a log line naming it and its problem. Storage
   * failures (as opposed to damaged content) reject: an outage must not silently roll back state.
   */
  async latestValid(log: CheckpointLog): Promise<RestorableCheckpoint | undefined> {
    const where = this.blobs.description;
    const listing = parseCheckpointListing(await this.blobs.list());
    const verdicts = new Map<number, CheckpointVerdict>();
    const loaded = new Map<number, RestorableCheckpoint>();
    for (;;) {
      const step = nextRestoreStep(listing, verdicts);
      if (step.kind === "inspect") {
        const inspected = await this.#inspect(step.checkpointId);
        verdicts.set(step.checkpointId, inspected.verdict);
        if (inspected.checkpoint !== undefined) loaded.set(step.checkpointId, inspected.checkpoint);
        continue;
      }
      for (const { checkpointId, problem } of step.skipped) {
        log(`checkpoint ${checkpointId} in ${where} skipped: ${problem}`);
      }
      if (step.kind === "fresh-start") {
        log(
          listing.length === 0
            ? `no checkpoint in ${where}; starting from empty state`
            : `no valid checkpoint in ${where}; starting from empty state`,
        );
        return undefined;
      }
      const newer = step.skipped.length === 0 ? "" : ` (${step.skipped.length} newer checkpoint(s) skipped)`;
      log(`restoring checkpoint ${step.checkpointId} from ${where}${newer}`);
      // Only an inspected, valid checkpoint can be chosen, and every valid one was loaded.
      return loaded.get(step.checkpointId)!;
    }
  }

  /**
   * Deletes all but the newest `retain` complete checkpoints, and incomplete leftovers older than
   * the newest complete one, then the shared blobs nothing retained references: those of deleted
   * checkpoints, and those uploaded for checkpoints that never completed (expired, declined), up to
   * the newest complete one — a newer id may be a checkpoint still being taken. Returns the deleted
   * checkpoint ids. Keep `retain` at 2 or more if a damaged newest checkpoint should still have a
   * fallback: retention counts complete checkpoints without reading them. `pinned` checkpoints
   * (being copied into a savepoint) stay, with their shared blobs, until a retention after they
   * were unpinned.
   *
   * Why a sweep is safe: retention runs as one checkpoint completes, completions are in id order
   * and one at a time (the coordinator subsumes earlier pending checkpoints and chains the stores,
   * so with several in flight every still-pending one has a higher id), and a worker's later
   * checkpoint only references blobs of completed checkpoints (its base) or lists them in its own
   * refs, so an unreferenced blob of an id at or below the newest complete one is never needed again. A
   * straggling upload of an abandoned checkpoint that lands after the sweep goes with the next one.
   */
  async retain(retain: number, pinned: ReadonlySet<number> = new Set()): Promise<number[]> {
    const listing = parseCheckpointListing(await this.blobs.list());
    const doomed = planRetention(listing, retain).filter((checkpointId) => !pinned.has(checkpointId));
    const doomedSet = new Set(doomed);
    const kept = listing
      .filter((e) => e.complete && !doomedSet.has(e.checkpointId))
      .map((e) => e.checkpointId);
    const newestComplete = kept.length === 0 ? undefined : Math.max(...kept);
    const shared = await this.blobs.list(SHARED_PREFIX);
    if (doomed.length === 0 && shared.length === 0) return doomed;
    // Reference counting of shared blobs: every key a checkpoint that stays lists is kept.
    const stillReferenced = new Set<string>();
    for (const checkpointId of kept)
      for (const key of await this.#sharedRefs(checkpointId, true)) stillReferenced.add(key);
    const released = new Set<string>();
    for (const checkpointId of doomed)
      for (const key of await this.#sharedRefs(checkpointId, false)) released.add(key);
    for (const key of shared) {
      const uploadedFor = sharedBlobCheckpointId(key);
      if (uploadedFor !== undefined && newestComplete !== undefined && uploadedFor <= newestComplete)
        released.add(key);
    }
    for (const checkpointId of doomed) {
      await this.blobs.delete(metadataKey(checkpointId));
      await this.blobs.deletePrefix(checkpointPrefix(checkpointId));
    }
    for (const key of released) if (!stillReferenced.has(key)) await this.blobs.delete(key);
    return doomed;
  }

  /**
   * The shared blobs checkpoint `checkpointId` references. For a checkpoint that stays, an
   * unreadable list throws (deleting on a guess could break it); for one that goes, it counts as
   * empty (its blobs are then left behind, never deleted while needed).
   */
  async #sharedRefs(checkpointId: number, strict: boolean): Promise<string[]> {
    const key = sharedRefsKey(checkpointId);
    const bytes = await this.blobs.get(key);
    if (bytes === undefined) return [];
    try {
      const refs = JSON.parse(new TextDecoder().decode(decodeCheckpointFile(bytes, key).payload)) as unknown;
      if (!Array.isArray(refs) || refs.some((r) => typeof r !== "string"))
        throw new CheckpointFormatError("invalid-metadata", key, "not a list of shared blob keys");
      return refs as string[];
    } catch (error) {
      if (strict) throw error;
      return [];
    }
  }

  /** Reads everything the checkpoint's metadata lists and judges it; content damage is a verdict, I/O failure throws. */
  async #inspect(
    checkpointId: number,
  ): Promise<{ verdict: CheckpointVerdict; checkpoint: RestorableCheckpoint | undefined }> {
    const key = metadataKey(checkpointId);
    let metadata: CheckpointMetadata;
    try {
      const bytes = await this.blobs.get(key);
      // Listed a moment ago: gone now means someone deleted it meanwhile (a concurrent retention).
      if (bytes === undefined)
        return invalid(`its _metadata ${JSON.stringify(key)} disappeared while reading`);
      metadata = parseCheckpointMetadata(decodeCheckpointFile(bytes, key).payload, key);
    } catch (error) {
      if (error instanceof CheckpointFormatError) {
        const fact: MetadataFact = { kind: "unreadable", problem: error.message };
        return { verdict: judgeCheckpoint(checkpointId, fact, new Map()), checkpoint: undefined };
      }
      throw error;
    }
    const facts = new Map<string, ObjectFact>();
    const payloads = new Map<string, Uint8Array>();
    await forEachConcurrently(metadata.objects, this.#concurrency, async ({ name }) => {
      const objectKey = dataKey(checkpointId, name);
      const bytes = await this.blobs.get(objectKey);
      if (bytes === undefined) {
        facts.set(name, { kind: "missing" });
        return;
      }
      try {
        const file = decodeCheckpointFile(bytes, objectKey);
        facts.set(name, { kind: "read", length: file.payload.byteLength, sha256: file.sha256 });
        payloads.set(name, file.payload);
      } catch (error) {
        if (!(error instanceof CheckpointFormatError)) throw error;
        facts.set(name, { kind: "unreadable", problem: error.message });
      }
    });
    const verdict = judgeCheckpoint(checkpointId, { kind: "read", ...metadata }, facts);
    if (!verdict.valid) return { verdict, checkpoint: undefined };
    // Metadata order, not completion order, so restores see the same map every time.
    const objects = new Map(metadata.objects.map(({ name }) => [name, payloads.get(name)!] as const));
    return { verdict, checkpoint: { checkpointId, manifest: metadata.manifest, objects } };
  }
}

function invalid(problem: string): { verdict: CheckpointVerdict; checkpoint: undefined } {
  return { verdict: { valid: false, problem }, checkpoint: undefined };
}

/**
 * Runs `action` over `items` with at most `limit` in flight. After a failure no new item starts,
 * and the first error is thrown only once the running ones have settled: when a write rejects, none
 * of its puts can still land later (after a retry, or after retention removed the checkpoint).
 */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  action: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await action(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
