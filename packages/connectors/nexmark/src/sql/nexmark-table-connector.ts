/**
 * The SQL connector `'connector' = 'nexmark'`: the generator as the reference's `datagen` table
 * (see {@link nexmarkTableDdl}). Option names are the reference's (NexmarkSourceOptions).
 *
 * Row contract: physical columns `event_type INT, person ROW<…>, auction ROW<…>, bid ROW<…>` in
 * that order; exactly one of the three ROW columns is non-null; BIGINT fields are bigints and
 * TIMESTAMP(3) fields epoch milliseconds, as `@weir/sql` holds values.
 * @module
 */

import type { RowData, SourceContext, TableConnectorFactory, TableSource } from "@weir/sql";
import { ConnectorOptionError, RowKind } from "@weir/sql";
import type { NexmarkEvent } from "../generator/events.ts";
import type { NexmarkConfig } from "../generator/generator-config.ts";
import { NexmarkSource, type NexmarkSourceOptions } from "../nexmark-source.ts";

/** Integer options: SQL option name → configuration field. */
const INTEGER_OPTIONS: Readonly<Record<string, keyof NexmarkConfig>> = {
  "events.num": "eventsNum",
  "first-event.rate": "firstEventRate",
  "person.proportion": "personProportion",
  "auction.proportion": "auctionProportion",
  "bid.proportion": "bidProportion",
  "person.avg-size": "avgPersonByteSize",
  "auction.avg-size": "avgAuctionByteSize",
  "bid.avg-size": "avgBidByteSize",
  "bid.hot-ratio.auctions": "hotAuctionRatio",
  "bid.hot-ratio.bidders": "hotBiddersRatio",
  "auction.hot-ratio.sellers": "hotSellersRatio",
};

/** Accepted for compatibility with the reference DDL; the reference generator ignores them too. */
const IGNORED_OPTIONS = ["next-event.rate", "rate.shape", "rate.period", "rate.limited"];

const EXPECTED_COLUMNS = ["event_type", "person", "auction", "bid"];

function parseOptions(table: string, options: Readonly<Record<string, string>>): NexmarkSourceOptions {
  const config: Record<string, number | boolean> = {};
  for (const [key, text] of Object.entries(options)) {
    if (key === "connector" || IGNORED_OPTIONS.includes(key)) continue;
    const field = INTEGER_OPTIONS[key];
    if (field !== undefined) {
      const value = Number(text);
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new ConnectorOptionError(
          `table '${table}': option '${key}' must be a non-negative integer, got '${text}'`,
        );
      }
      config[field] = value;
    } else if (key === "base-time") {
      const value = Date.parse(
        text.includes("T") || text.endsWith("Z") ? text : `${text.replace(" ", "T")}Z`,
      );
      if (Number.isNaN(value)) {
        throw new ConnectorOptionError(
          `table '${table}': option 'base-time' must be a UTC timestamp like '2015-07-15 00:00:00', got '${text}'`,
        );
      }
      config.baseTime = value;
    } else if (key === "max-emit-speed") {
      if (text !== "true" && text !== "false") {
        throw new ConnectorOptionError(
          `table '${table}': option 'max-emit-speed' must be 'true' or 'false', got '${text}'`,
        );
      }
      config.paced = text === "false";
    } else {
      const supported = [
        ...Object.keys(INTEGER_OPTIONS),
        "base-time",
        "max-emit-speed",
        ...IGNORED_OPTIONS,
      ].sort();
      throw new ConnectorOptionError(
        `table '${table}': unsupported option '${key}' for connector 'nexmark'. Supported options: ${supported.join(", ")}`,
      );
    }
  }
  return config as NexmarkSourceOptions;
}

/** Event → physical row of the `datagen` table. */
export function eventToRow(event: NexmarkEvent): RowData {
  switch (event.type) {
    case 0: {
      const p = event.person;
      return {
        kind: RowKind.INSERT,
        fields: [
          0,
          [BigInt(p.id), p.name, p.emailAddress, p.creditCard, p.city, p.state, p.dateTime, p.extra],
          null,
          null,
        ],
      };
    }
    case 1: {
      const a = event.auction;
      return {
        kind: RowKind.INSERT,
        fields: [
          1,
          null,
          [
            BigInt(a.id),
            a.itemName,
            a.description,
            BigInt(a.initialBid),
            BigInt(a.reserve),
            a.dateTime,
            a.expires,
            BigInt(a.seller),
            BigInt(a.category),
            a.extra,
          ],
          null,
        ],
      };
    }
    case 2: {
      const b = event.bid;
      return {
        kind: RowKind.INSERT,
        fields: [
          2,
          null,
          null,
          [BigInt(b.auction), BigInt(b.bidder), BigInt(b.price), b.channel, b.url, b.dateTime, b.extra],
        ],
      };
    }
  }
}

export const nexmarkTableConnector: TableConnectorFactory = {
  identifier: "nexmark",
  requiredOptions: [],
  optionalOptions: [...Object.keys(INTEGER_OPTIONS), "base-time", "max-emit-speed", ...IGNORED_OPTIONS],
  createSource(context: SourceContext): TableSource {
    const { table } = context;
    const names = context.physicalType.fields.map((field) => field.name);
    if (names.length !== EXPECTED_COLUMNS.length || names.some((name, i) => name !== EXPECTED_COLUMNS[i])) {
      throw new ConnectorOptionError(
        `table '${table.name}': the 'nexmark' connector produces the physical columns (${EXPECTED_COLUMNS.join(", ")}) of the reference DDL, but the table declares (${names.join(", ")})`,
      );
    }
    const options = parseOptions(table.name, table.options);
    const bounded = (options.eventsNum ?? 0) > 0;
    return {
      changelogMode: { kind: "insert-only" },
      bounded,
      createStream() {
        return context.env.fromSource(new NexmarkSource(options, eventToRow), `Source: ${table.name}`);
      },
    };
  },
};
