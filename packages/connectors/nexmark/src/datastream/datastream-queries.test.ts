/**
 * The DataStream versions of q5 and q7 at parallelism 2, against brute-force evaluations of the
 * reference SQL's meaning over the same generated bids (computed here, independently of the jobs).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import type { Bid } from "../generator/events.ts";
import {
  DEFAULT_NEXMARK_CONFIG,
  type NexmarkConfig,
  splitGenerators,
} from "../generator/generator-config.ts";
import { NexmarkGenerator } from "../generator/nexmark-generator.ts";
import { Q5_RESULTS } from "./q5-hot-items.job.ts";
import { Q7_RESULTS } from "./q7-highest-bid.job.ts";

const PARALLELISM = 2;
const SOURCE = { eventsNum: 120_000, firstEventRate: 5_000 };

function allBids(): Bid[] {
  const config: NexmarkConfig = { ...DEFAULT_NEXMARK_CONFIG, ...SOURCE, numEventGenerators: PARALLELISM };
  const bids: Bid[] = [];
  for (const split of splitGenerators(config, PARALLELISM)) {
    const generator = new NexmarkGenerator(config, split);
    for (let k = 0; k < split.maxEvents; k++) {
      const event = generator.event(k);
      if (event.type === 2) bids.push(event.bid);
    }
  }
  return bids;
}

const sortedJson = (rows: readonly unknown[]) => rows.map((row) => JSON.stringify(row)).sort();

test("q5: per sliding window (10 s every 2 s), the auctions with the most bids", async () => {
  const counts = new Map<number, Map<number, number>>();
  for (const bid of allBids()) {
    for (
      let end = Math.floor(bid.dateTime / 2_000) * 2_000 + 2_000;
      end <= bid.dateTime + 10_000;
      end += 2_000
    ) {
      const perAuction = counts.get(end) ?? new Map<number, number>();
      perAuction.set(bid.auction, (perAuction.get(bid.auction) ?? 0) + 1);
      counts.set(end, perAuction);
    }
  }
  const expected: { auction: number; num: number }[] = [];
  for (const perAuction of counts.values()) {
    const max = Math.max(...perAuction.values());
    for (const [auction, num] of perAuction) if (num >= max) expected.push({ auction, num });
  }
  assert.ok(counts.size >= 10, `the data spans several windows (${counts.size})`);

  const result = await runJob(new URL("./q5-hot-items.job.ts", import.meta.url), {
    parallelism: PARALLELISM,
    params: { source: SOURCE, collect: true },
  });
  assert.deepEqual(sortedJson(result.collected(Q5_RESULTS)), sortedJson(expected));
});

test("q7: the bids at each 10 s window's highest price, boundary bids included", async () => {
  const bids = allBids();
  const maxByEnd = new Map<number, number>();
  for (const bid of bids) {
    const end = Math.floor(bid.dateTime / 10_000) * 10_000 + 10_000;
    maxByEnd.set(end, Math.max(maxByEnd.get(end) ?? -1, bid.price));
  }
  const expected = [];
  for (const [end, max] of maxByEnd) {
    for (const bid of bids) {
      if (bid.price === max && bid.dateTime >= end - 10_000 && bid.dateTime <= end) {
        expected.push({
          auction: bid.auction,
          price: bid.price,
          bidder: bid.bidder,
          dateTime: bid.dateTime,
          extra: bid.extra,
        });
      }
    }
  }
  assert.ok(maxByEnd.size >= 2, "the data spans several windows");

  const result = await runJob(new URL("./q7-highest-bid.job.ts", import.meta.url), {
    parallelism: PARALLELISM,
    params: { source: SOURCE, collect: true },
  });
  assert.deepEqual(sortedJson(result.collected(Q7_RESULTS)), sortedJson(expected));
});
