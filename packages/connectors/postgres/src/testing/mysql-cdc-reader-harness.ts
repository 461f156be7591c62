/**
 * Test support for the MySQL CDC reader: source options for a test file's MariaDB database, and a
 * reader started on a split as the runtime starts one (the initial split unless one is restored).
 *
 * Invariant: each options object gets the next server id of the file's own range, so two readers
 * of one test never share a replication connection's id.
 * @module
 */

import type { SourceReader } from "@weir/api";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import {
  initialMysqlSplit,
  type MysqlCdcOptions,
  MysqlCdcSource,
  type MysqlCdcSplit,
} from "../mysql-cdc/mysql-cdc-source.ts";
import { singleSubtaskContext } from "./cdc-reader-harness.ts";
import type { MariadbTestDatabase } from "./mariadb-server.ts";

export interface MysqlCdcReaderHarness {
  /** Options reading `tables` of the test database as root, with a fresh server id and no log. */
  options(tables: MysqlCdcOptions["tables"], extra?: Partial<MysqlCdcOptions>): MysqlCdcOptions;
  /** A started reader of subtask 0 of 1 holding `split` (default: the initial split). */
  reader(
    opts: MysqlCdcOptions,
    split?: MysqlCdcSplit,
    batchSizeHint?: number,
  ): SourceReader<ChangeEvent, MysqlCdcSplit>;
}

/** The harness for the test file's database `maria`; server ids count up from `firstServerId`. */
export function mysqlCdcReaderHarness(
  maria: MariadbTestDatabase,
  firstServerId: number,
): MysqlCdcReaderHarness {
  let serverIds = firstServerId;
  return {
    options(tables, extra = {}) {
      return {
        connection: { host: maria.server.host, port: maria.server.port, user: "root", database: maria.name },
        tables,
        serverId: serverIds++,
        log: () => {},
        ...extra,
      };
    },
    reader(opts, split, batchSizeHint = 1000) {
      const r = MysqlCdcSource.create(opts).createReader(singleSubtaskContext(batchSizeHint));
      r.start();
      r.addSplits([split ?? initialMysqlSplit(opts.serverId)]);
      return r;
    },
  };
}
