/**
 * The Nexmark reference evaluation for the correctness tests: the same generated events loaded into
 * DuckDB (a real SQL engine no one here wrote), and each exactly checkable query (nexmark.md §5.9)
 * written in DuckDB's dialect with Flink's semantics spelled out: AVG over BIGINT truncates, window
 * TVFs expanded by hand, SPLIT_INDEX 0-based and NULL out of range, REGEXP_EXTRACT NULL without a
 * match. Results are rendered the way Weir's `--format jsonl` renders them (timestamps with
 * milliseconds, DECIMAL as exact strings), then compared as multisets of canonical strings.
 * @module
 */

import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  DEFAULT_NEXMARK_CONFIG,
  type NexmarkConfig,
  NexmarkGenerator,
  splitGenerators,
} from "@weir/connector-nexmark";

/** Loads the events of `config` split over `parallelism` generators into tables person, auction, bid. */
export async function loadNexmark(
  config: Partial<NexmarkConfig>,
  parallelism: number,
): Promise<DuckDBConnection> {
  const full: NexmarkConfig = { ...DEFAULT_NEXMARK_CONFIG, numEventGenerators: parallelism, ...config };
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  await db.run(`CREATE TABLE person_raw (id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR,
    city VARCHAR, state VARCHAR, ms BIGINT, extra VARCHAR)`);
  await db.run(`CREATE TABLE auction_raw (id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT,
    reserve BIGINT, ms BIGINT, expires_ms BIGINT, seller BIGINT, category BIGINT, extra VARCHAR)`);
  await db.run(`CREATE TABLE bid_raw (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
    ms BIGINT, extra VARCHAR)`);
  const people = await db.createAppender("person_raw");
  const auctions = await db.createAppender("auction_raw");
  const bids = await db.createAppender("bid_raw");
  for (const split of splitGenerators(full, parallelism)) {
    const generator = new NexmarkGenerator(full, split);
    for (let k = 0; k < split.maxEvents; k++) {
      const event = generator.event(k);
      if (event.type === 0) {
        const p = event.person;
        people.appendBigInt(BigInt(p.id));
        for (const text of [p.name, p.emailAddress, p.creditCard, p.city, p.state])
          people.appendVarchar(text);
        people.appendBigInt(BigInt(p.dateTime));
        people.appendVarchar(p.extra);
        people.endRow();
      } else if (event.type === 1) {
        const a = event.auction;
        auctions.appendBigInt(BigInt(a.id));
        auctions.appendVarchar(a.itemName);
        auctions.appendVarchar(a.description);
        for (const n of [a.initialBid, a.reserve, a.dateTime, a.expires, a.seller, a.category]) {
          auctions.appendBigInt(BigInt(n));
        }
        auctions.appendVarchar(a.extra);
        auctions.endRow();
      } else {
        const b = event.bid;
        for (const n of [b.auction, b.bidder, b.price]) bids.appendBigInt(BigInt(n));
        bids.appendVarchar(b.channel);
        bids.appendVarchar(b.url);
        bids.appendBigInt(BigInt(b.dateTime));
        bids.appendVarchar(b.extra);
        bids.endRow();
      }
    }
  }
  for (const appender of [people, auctions, bids]) appender.closeSync();
  await db.run(`CREATE VIEW person AS SELECT *, epoch_ms(ms) AS dateTime FROM person_raw`);
  await db.run(
    `CREATE VIEW auction AS SELECT *, epoch_ms(ms) AS dateTime, epoch_ms(expires_ms) AS expires FROM auction_raw`,
  );
  await db.run(`CREATE VIEW bid AS SELECT *, epoch_ms(ms) AS dateTime FROM bid_raw`);
  return db;
}

/** `TIMESTAMP(3)` as Weir prints it. */
const ts = (column: string) => `strftime(${column}, '%Y-%m-%d %H:%M:%S.%g')`;
/** `0.908 * price` as an exact DECIMAL(…, 3) string. */
const times0908 = (column: string) => `printf('%d.%03d', ${column} * 908 // 1000, ${column} * 908 % 1000)`;

/** DuckDB formulations of the exactly checkable queries, columns in the reference's order. */
export const DUCKDB_QUERIES: Readonly<Record<string, string>> = {
  q0: `SELECT auction, bidder, price, ${ts("dateTime")}, extra FROM bid`,
  q1: `SELECT auction, bidder, ${times0908("price")}, ${ts("dateTime")}, extra FROM bid`,
  q2: `SELECT auction, price FROM bid WHERE auction % 123 = 0`,
  q3: `SELECT P.name, P.city, P.state, A.id FROM auction A JOIN person P ON A.seller = P.id
       WHERE A.category = 10 AND P.state IN ('OR', 'ID', 'CA')`,
  q4: `SELECT category, sum(final) // count(final) FROM (
         SELECT max(B.price) AS final, A.category FROM auction A, bid B
         WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
         GROUP BY A.id, A.category) GROUP BY category`,
  q5: `WITH hop AS (
         SELECT auction, unnest(generate_series(ms // 2000 * 2000 - 8000, ms // 2000 * 2000, 2000)) AS ws FROM bid_raw),
       counts AS (SELECT auction, ws, count(*) AS num FROM hop GROUP BY auction, ws),
       maxes AS (SELECT ws, max(num) AS maxn FROM counts GROUP BY ws)
       SELECT c.auction, c.num FROM counts c JOIN maxes m ON c.ws = m.ws AND c.num >= m.maxn`,
  q7: `WITH w AS (SELECT ms // 10000 * 10000 + 10000 AS we, max(price) AS maxprice FROM bid_raw GROUP BY 1)
       SELECT B.auction, B.price, B.bidder, ${ts("B.dateTime")}, B.extra FROM bid B JOIN w ON B.price = w.maxprice
       WHERE B.ms BETWEEN w.we - 10000 AND w.we`,
  q8: `WITH p AS (SELECT id, name, ms // 10000 * 10000 AS ws FROM person_raw GROUP BY id, name, ws),
       a AS (SELECT seller, ms // 10000 * 10000 AS ws FROM auction_raw GROUP BY seller, ws)
       SELECT p.id, p.name, ${ts("epoch_ms(p.ws)")} FROM p JOIN a ON p.id = a.seller AND p.ws = a.ws`,
  q9: `WITH candidates AS (
         SELECT A.*, B.price, B.ms AS bid_ms,
           row_number() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.ms ASC) AS rn
         FROM auction A JOIN bid B ON A.id = B.auction AND B.ms BETWEEN A.ms AND A.expires_ms)
       SELECT id, itemName, description, initialBid, reserve, ${ts("dateTime")}, ${ts("expires")}, seller, category,
         extra, price, ${ts("epoch_ms(bid_ms)")}
       FROM candidates WHERE rn = 1`,
  q10: `SELECT auction, bidder, price, ${ts("dateTime")}, extra, strftime(dateTime, '%Y-%m-%d'), strftime(dateTime, '%H:%M')
        FROM bid`,
  q11: `WITH ordered AS (
          SELECT bidder, ms, CASE WHEN ms - lag(ms) OVER (PARTITION BY bidder ORDER BY ms) < 10000 THEN 0 ELSE 1 END AS starts
          FROM bid_raw),
        numbered AS (SELECT bidder, ms, sum(starts) OVER (PARTITION BY bidder ORDER BY ms ROWS UNBOUNDED PRECEDING) AS session
          FROM ordered)
        SELECT bidder, count(*), ${ts("epoch_ms(min(ms))")}, ${ts("epoch_ms(max(ms) + 10000)")}
        FROM numbered GROUP BY bidder, session`,
  q14: `SELECT auction, bidder, ${times0908("price")},
          CASE WHEN hour(dateTime) >= 8 AND hour(dateTime) <= 18 THEN 'dayTime'
               WHEN hour(dateTime) <= 6 OR hour(dateTime) >= 20 THEN 'nightTime'
               ELSE 'otherTime' END,
          ${ts("dateTime")}, extra, length(extra) - length(replace(extra, 'c', ''))
        FROM bid WHERE price * 908 > 1000000000 AND price * 908 < 50000000000`,
  q15: `SELECT strftime(dateTime, '%Y-%m-%d') AS day, count(*),
          count(*) FILTER (WHERE price < 10000), count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(*) FILTER (WHERE price >= 1000000), count(DISTINCT bidder),
          count(DISTINCT bidder) FILTER (WHERE price < 10000),
          count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(DISTINCT bidder) FILTER (WHERE price >= 1000000), count(DISTINCT auction),
          count(DISTINCT auction) FILTER (WHERE price < 10000),
          count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(DISTINCT auction) FILTER (WHERE price >= 1000000)
        FROM bid GROUP BY day`,
  q16: `SELECT channel, strftime(dateTime, '%Y-%m-%d') AS day, max(strftime(dateTime, '%H:%M')), count(*),
          count(*) FILTER (WHERE price < 10000), count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(*) FILTER (WHERE price >= 1000000), count(DISTINCT bidder),
          count(DISTINCT bidder) FILTER (WHERE price < 10000),
          count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(DISTINCT bidder) FILTER (WHERE price >= 1000000), count(DISTINCT auction),
          count(DISTINCT auction) FILTER (WHERE price < 10000),
          count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(DISTINCT auction) FILTER (WHERE price >= 1000000)
        FROM bid GROUP BY channel, day`,
  q17: `SELECT auction, strftime(dateTime, '%Y-%m-%d') AS day, count(*),
          count(*) FILTER (WHERE price < 10000), count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(*) FILTER (WHERE price >= 1000000), min(price), max(price), sum(price) // count(price), sum(price)
        FROM bid GROUP BY auction, day`,
  q18: `SELECT auction, bidder, ${ts("epoch_ms(max(ms))")} FROM bid_raw GROUP BY auction, bidder`,
  q19: `SELECT auction, price, rank_number FROM (
          SELECT auction, price, row_number() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid_raw)
        WHERE rank_number <= 10`,
  q20: `SELECT B.auction, B.bidder, B.price, B.channel, B.url, ${ts("B.dateTime")}, B.extra, A.itemName, A.description,
          A.initialBid, A.reserve, ${ts("A.dateTime")}, ${ts("A.expires")}, A.seller, A.category, A.extra
        FROM bid B JOIN auction A ON B.auction = A.id WHERE A.category = 10`,
  q21: `SELECT auction, bidder, price, channel,
          CASE WHEN lower(channel) = 'apple' THEN '0' WHEN lower(channel) = 'google' THEN '1'
               WHEN lower(channel) = 'facebook' THEN '2' WHEN lower(channel) = 'baidu' THEN '3'
               ELSE CASE WHEN regexp_matches(url, '(&|^)channel_id=([^&]*)') THEN regexp_extract(url, '(&|^)channel_id=([^&]*)', 2) END END
        FROM bid
        WHERE regexp_matches(url, '(&|^)channel_id=([^&]*)') OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')`,
  q22: `SELECT auction, bidder, price, channel, string_split(url, '/')[4], string_split(url, '/')[5], string_split(url, '/')[6]
        FROM bid`,
  q23: `SELECT B.bidder, B.price, B.channel, B.url, B.extra, P.id, P.name, P.emailAddress, P.creditCard, P.city, P.state,
          P.extra, A.itemName, A.description, A.initialBid, A.reserve, ${ts("A.dateTime")}, ${ts("A.expires")}, A.seller,
          A.category, A.extra
        FROM bid B JOIN person P ON P.id = B.bidder JOIN auction A ON A.seller = B.bidder`,
};

/** A row as a canonical string: values by position, numbers and bigints in decimal text. */
export function canonicalRow(values: readonly unknown[]): string {
  return JSON.stringify(
    values.map((value) => (value === null || value === undefined ? null : String(value))),
  );
}

/** The multiset of canonical rows DuckDB returns for `query`. */
export async function duckdbRows(db: DuckDBConnection, query: string): Promise<string[]> {
  const reader = await db.runAndReadAll(query);
  return reader
    .getRows()
    .map((row) => canonicalRow(row))
    .sort();
}
