/**
 * Flink's generic lookup cache (`'lookup.cache' = 'PARTIAL'`): remembers the rows of recently
 * looked-up keys in front of a connector's {@link TableLookup}, so a hot key is read once.
 *
 * Options, read from the table's WITH clause (a connector that supports them lists
 * {@link LOOKUP_CACHE_OPTIONS} among its optional options):
 * - `lookup.cache`: `NONE` (default) or `PARTIAL`;
 * - `lookup.partial-cache.max-rows`: keys kept at most (required for PARTIAL); the least recently
 *   used key is evicted first;
 * - `lookup.partial-cache.expire-after-write` / `…expire-after-access`: durations after which an
 *   entry is read again (default: never);
 * - `lookup.partial-cache.cache-missing-key`: whether a key with no rows is cached (default true).
 *
 * Invariant: a cached answer is one the lookup gave for that key no longer ago than the expiry;
 * concurrent misses of one key share a single lookup.
 * @module
 */

import { OptionReader } from "../../connectors/connector-options.ts";
import type { TableLookup } from "../../connectors/table-connector.ts";
import { ConnectorOptionError } from "../../connectors/table-connector.ts";
import type { Row } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import type { LogicalType } from "../../types/logical-type.ts";
import { type LookupMapKey, lookupMapKey } from "./lookup-key.ts";

export const LOOKUP_CACHE_OPTIONS: readonly string[] = [
  "lookup.cache",
  "lookup.partial-cache.max-rows",
  "lookup.partial-cache.expire-after-write",
  "lookup.partial-cache.expire-after-access",
  "lookup.partial-cache.cache-missing-key",
];

export interface PartialCacheOptions {
  readonly maxRows: number;
  /** Milliseconds; Infinity for never. */
  readonly expireAfterWriteMs: number;
  readonly expireAfterAccessMs: number;
  readonly cacheMissingKey: boolean;
}

/** The table's cache options; null for `NONE`. Throws naming the table and option when bad. */
export function lookupCacheOptions(table: {
  readonly name: string;
  readonly options: Readonly<Record<string, string>>;
}): PartialCacheOptions | null {
  const reader = new OptionReader(table);
  const mode = (reader.string("lookup.cache") ?? "NONE").toUpperCase();
  if (mode === "NONE") return null;
  if (mode !== "PARTIAL") {
    throw new ConnectorOptionError(
      `Invalid value for option 'lookup.cache' of table '${table.name}': '${table.options["lookup.cache"]}' (expected NONE or PARTIAL; FULL caching is not supported)`,
    );
  }
  const maxRows = reader.integer("lookup.partial-cache.max-rows", undefined, 1);
  if (maxRows === undefined) {
    throw new ConnectorOptionError(
      `Table '${table.name}': 'lookup.partial-cache.max-rows' is required when 'lookup.cache' is PARTIAL`,
    );
  }
  return {
    maxRows,
    expireAfterWriteMs: reader.durationMs(
      "lookup.partial-cache.expire-after-write",
      Number.POSITIVE_INFINITY,
    ),
    expireAfterAccessMs: reader.durationMs(
      "lookup.partial-cache.expire-after-access",
      Number.POSITIVE_INFINITY,
    ),
    cacheMissingKey: reader.boolean("lookup.partial-cache.cache-missing-key", true),
  };
}

interface Entry {
  readonly rows: readonly Row[];
  readonly writtenAt: number;
  accessedAt: number;
}

/** `lookup` behind a partial cache; `now` is injectable for tests. */
export class PartialLookupCache implements TableLookup {
  readonly #lookup: TableLookup;
  readonly #types: readonly LogicalType[];
  readonly #options: PartialCacheOptions;
  readonly #now: () => number;
  // Insertion order is recency order: a hit moves its key to the end.
  readonly #entries = new Map<LookupMapKey, Entry>();
  readonly #pending = new Map<LookupMapKey, Promise<readonly Row[]>>();

  constructor(
    lookup: TableLookup,
    keyTypes: readonly LogicalType[],
    options: PartialCacheOptions,
    now: () => number = Date.now,
  ) {
    this.#lookup = lookup;
    this.#types = keyTypes;
    this.#options = options;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  lookup(keys: readonly SqlValue[]): Promise<readonly Row[]> {
    const key = lookupMapKey(keys, this.#types);
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      const fresh =
        now - entry.writtenAt < this.#options.expireAfterWriteMs &&
        now - entry.accessedAt < this.#options.expireAfterAccessMs;
      if (fresh) {
        entry.accessedAt = now;
        this.#entries.set(key, entry);
        return Promise.resolve(entry.rows);
      }
    }
    const pending = this.#pending.get(key);
    if (pending !== undefined) return pending;
    const request = this.#lookup.lookup(keys).then(
      (rows) => {
        this.#pending.delete(key);
        if (rows.length > 0 || this.#options.cacheMissingKey) this.#store(key, rows);
        return rows;
      },
      (error: unknown) => {
        this.#pending.delete(key);
        throw error;
      },
    );
    this.#pending.set(key, request);
    return request;
  }

  #store(key: LookupMapKey, rows: readonly Row[]): void {
    const now = this.#now();
    this.#entries.delete(key);
    this.#entries.set(key, { rows, writtenAt: now, accessedAt: now });
    while (this.#entries.size > this.#options.maxRows) {
      const oldest = this.#entries.keys().next().value as LookupMapKey;
      this.#entries.delete(oldest);
    }
  }

  close(): Promise<void> | void {
    this.#entries.clear();
    return this.#lookup.close?.();
  }
}
