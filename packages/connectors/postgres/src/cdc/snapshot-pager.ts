/**
 * Reads one captured table in primary key order, a page at a time, inside the caller's open
 * `REPEATABLE READ` transaction (keyset pagination: `WHERE (key) > (last key) ORDER BY key LIMIT n`),
 * keeping one page fetched ahead so the database works while the previous page is emitted.
 *
 * Invariant: pages follow each other without gap or overlap in key order, and every row carries
 * its key's text form, which is what the split records as "last key emitted" and what a resumed
 * read starts after. Values stay in Postgres' text form (as in pgoutput), decoded by the reader.
 *
 * Example query for `orders(id int primary key, note text)` after key 42:
 * `SELECT "id", "note", "id" FROM "public"."orders" WHERE ROW("id") > ROW($1::integer) ORDER BY "id" LIMIT 8192`
 * @module
 */

import type pg from "pg";
import { quotePg } from "../connection-options.ts";
import type { CapturedTable } from "./captured-table.ts";

export interface SnapshotRow {
  /** Text of the emitted columns. */
  readonly values: readonly (string | null)[];
  /** Text of the primary key columns. */
  readonly key: readonly string[];
}

const RAW_TEXT = { getTypeParser: () => (value: string) => value };

export class SnapshotPager {
  readonly #client: pg.Client;
  readonly #table: CapturedTable;
  readonly #fetchSize: number;
  readonly #onChange: () => void;
  readonly #sqlFirst: string;
  readonly #sqlAfter: string;
  #afterKey: readonly string[] | null;
  readonly #pages: SnapshotRow[][] = [];
  #fetching = false;
  #done = false;
  #error: Error | undefined;
  #closed = false;

  /** `onChange` is called when a page arrived, the table ended or a fetch failed. */
  constructor(
    client: pg.Client,
    table: CapturedTable,
    fetchSize: number,
    afterKey: readonly string[] | null,
    onChange: () => void,
  ) {
    this.#client = client;
    this.#table = table;
    this.#fetchSize = fetchSize;
    this.#afterKey = afterKey;
    this.#onChange = onChange;
    const keys = table.keyNames.map(
      (name, i) => `${quotePg(name)}${table.keyCollatable[i] ? ' COLLATE "C"' : ""}`,
    );
    const select = `SELECT ${[...table.emitted.map((c) => quotePg(c.name)), ...table.keyNames.map(quotePg)].join(", ")} FROM ${table.qualified}`;
    const order = `ORDER BY ${keys.join(", ")} LIMIT ${fetchSize}`;
    const params = table.keySqlTypes.map(
      (type, i) => `$${i + 1}::${type}${table.keyCollatable[i] ? ' COLLATE "C"' : ""}`,
    );
    this.#sqlFirst = `${select} ${order}`;
    this.#sqlAfter = `${select} WHERE ROW(${keys.join(", ")}) > ROW(${params.join(", ")}) ${order}`;
    this.#fetch();
  }

  #fetch(): void {
    if (this.#fetching || this.#done || this.#closed || this.#pages.length >= 2) return;
    this.#fetching = true;
    const after = this.#afterKey;
    const emitted = this.#table.emitted.length;
    const keyCount = this.#table.keyNames.length;
    this.#client
      .query<unknown[]>({
        text: after === null ? this.#sqlFirst : this.#sqlAfter,
        values: after === null ? [] : [...after],
        rowMode: "array",
        types: RAW_TEXT,
      } as pg.QueryArrayConfig)
      .then(
        (result) => {
          this.#fetching = false;
          if (this.#closed) return;
          const rows = result.rows as (string | null)[][];
          const page: SnapshotRow[] = new Array(rows.length);
          for (let r = 0; r < rows.length; r++) {
            const raw = rows[r]!;
            page[r] = {
              values: raw.slice(0, emitted),
              key: raw.slice(emitted, emitted + keyCount) as string[],
            };
          }
          if (page.length > 0) {
            this.#pages.push(page);
            this.#afterKey = page[page.length - 1]!.key;
          }
          if (rows.length < this.#fetchSize) this.#done = true;
          this.#fetch();
          this.#onChange();
        },
        (error: unknown) => {
          this.#fetching = false;
          this.#error = new Error(
            `Postgres CDC: reading the snapshot of table "${this.#table.id}" failed: ${(error as Error).message}`,
            { cause: error },
          );
          this.#onChange();
        },
      );
  }

  /** The next page, or undefined when none is ready yet; throws a failed fetch's error. */
  take(): SnapshotRow[] | undefined {
    if (this.#error !== undefined) throw this.#error;
    const page = this.#pages.shift();
    if (page !== undefined) this.#fetch();
    return page;
  }

  /** Every row of the table has been taken. */
  get exhausted(): boolean {
    return this.#done && this.#pages.length === 0 && !this.#fetching;
  }

  close(): void {
    this.#closed = true;
  }
}
