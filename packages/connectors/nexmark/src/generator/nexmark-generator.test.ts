/**
 * The generator against the reference's formulas (shared/reference/nexmark.md §1): the worked
 * example of ids, kinds and timestamps for the V1 configuration, the 1:3:46 mix, value ranges and
 * formats, and determinism.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Auction, Bid, Person } from "./events.ts";
import { DEFAULT_NEXMARK_CONFIG, type NexmarkConfig, splitGenerators } from "./generator-config.ts";
import { NexmarkGenerator } from "./nexmark-generator.ts";

/** The reference V1 run: 100 M events, 10 M events/s, 8 generators. */
const V1: NexmarkConfig = {
  ...DEFAULT_NEXMARK_CONFIG,
  eventsNum: 100_000_000,
  firstEventRate: 10_000_000,
  numEventGenerators: 8,
};

function generators(config: NexmarkConfig, n: number): NexmarkGenerator[] {
  return splitGenerators(config, n).map((split) => new NexmarkGenerator(config, split));
}

describe("ids, kinds and timestamps follow the reference worked example (§1.4)", () => {
  const [split0, split1] = generators(V1, 8) as [NexmarkGenerator, NexmarkGenerator];

  test("split 0 starts at event id 2 with auctions 1001 and 1002, then bids, then person 1001", () => {
    const first = split0.event(0);
    assert.equal(split0.eventId(0), 2);
    assert.equal(first.type, 1);
    assert.equal(first.type === 1 && first.auction.id, 1001);
    const second = split0.event(1);
    assert.equal(second.type === 1 && second.auction.id, 1002);
    for (let k = 2; k <= 47; k++) assert.equal(split0.event(k).type, 2, `event ${k}`);
    const person = split0.event(48);
    assert.equal(person.type === 0 && person.person.id, 1001);
    const third = split0.event(49);
    assert.equal(third.type === 1 && third.auction.id, 1003);
  });

  test("event 1249 of split 0 is auction 1075, the first event at base + 1 ms", () => {
    const event = split0.event(1249);
    assert.equal(event.type === 1 && event.auction.id, 1075);
    assert.equal(event.type === 1 && event.auction.dateTime - V1.baseTime, 1);
    assert.equal(split0.timestampForEvent(1249) - V1.baseTime, 0);
  });

  test("the last event of split 0 is auction 751000 at base + 10,000 ms", () => {
    const last = split0.event(12_499_999);
    assert.equal(split0.eventId(12_499_999), 12_500_001);
    assert.equal(last.type === 1 && last.auction.id, 751_000);
    assert.equal(last.type === 1 && last.auction.dateTime - V1.baseTime, 10_000);
  });

  test("split 1 starts at event id 12,500,002 (auction 751001); person 251001 is at id 12,500,050", () => {
    assert.equal(split1.eventId(0), 12_500_002);
    const first = split1.event(0);
    assert.equal(first.type === 1 && first.auction.id, 751_001);
    const person = split1.event(48);
    assert.equal(person.type === 0 && person.person.id, 251_001);
  });

  test("splits run on parallel timelines: the k-th event of every split has the same time", () => {
    for (const k of [0, 5_000, 777_777])
      assert.equal(split0.timestampForEvent(k + 1), split1.timestampForEvent(k + 1));
  });

  test("the last split takes the remainder of an uneven event count", () => {
    const splits = splitGenerators({ ...DEFAULT_NEXMARK_CONFIG, eventsNum: 10 }, 3);
    assert.deepEqual(
      splits.map((s) => [s.firstEventId, s.maxEvents]),
      [
        [1, 3],
        [4, 3],
        [7, 4],
      ],
    );
  });
});

describe("content", () => {
  const [generator] = generators({ ...DEFAULT_NEXMARK_CONFIG, eventsNum: 50_000 }, 1) as [NexmarkGenerator];
  const people: Person[] = [];
  const auctions: Auction[] = [];
  const bids: Bid[] = [];
  for (let k = 0; k < 50_000; k++) {
    const event = generator.event(k);
    if (event.type === 0) people.push(event.person);
    else if (event.type === 1) auctions.push(event.auction);
    else bids.push(event.bid);
  }

  test("every 50 consecutive ids hold 1 person, 3 auctions and 46 bids", () => {
    assert.deepEqual([people.length, auctions.length, bids.length], [1000, 3000, 46_000]);
  });

  test("prices are log-uniform on [100, 10^8] cents: a third below 10,000, a third above 1,000,000", () => {
    for (const bid of bids) assert.ok(bid.price >= 100 && bid.price <= 100_000_000, `price ${bid.price}`);
    const low = bids.filter((b) => b.price < 10_000).length / bids.length;
    const high = bids.filter((b) => b.price >= 1_000_000).length / bids.length;
    assert.ok(Math.abs(low - 1 / 3) < 0.02, `low share ${low}`);
    assert.ok(Math.abs(high - 1 / 3) < 0.02, `high share ${high}`);
  });

  test("half the bids go to the hot auction of their batch of 100, three quarters from the hot bidder", () => {
    const hotAuction = bids.filter((b) => (b.auction - 1000) % 100 === 0).length / bids.length;
    const hotBidder = bids.filter((b) => (b.bidder - 1000) % 100 === 1).length / bids.length;
    assert.ok(hotAuction > 0.49 && hotAuction < 0.53, `hot auction share ${hotAuction}`);
    assert.ok(hotBidder > 0.74 && hotBidder < 0.78, `hot bidder share ${hotBidder}`);
  });

  test("channels: half the bids on the four hot channels; cold channel URLs carry the channel id 9 in 10 times", () => {
    const hot =
      bids.filter((b) => ["Google", "Facebook", "Baidu", "Apple"].includes(b.channel)).length / bids.length;
    assert.ok(Math.abs(hot - 0.5) < 0.02, `hot channel share ${hot}`);
    const cold = bids.filter((b) => b.channel.startsWith("channel-"));
    const withId = cold.filter((b) => /&channel_id=-?\d+$/.test(b.url)).length / cold.length;
    assert.ok(Math.abs(withId - 0.9) < 0.03, `channel_id share ${withId}`);
    for (const bid of bids.slice(0, 500)) {
      assert.match(
        bid.url,
        /^https:\/\/www\.nexmark\.com\/[a-z_]{2,4}\/[a-z_]{2,4}\/[a-z_]{2,4}\/item\.htm\?query=1/,
      );
    }
  });

  test("bid padding is 54..81 characters; people and auctions pad towards 200 and 500 bytes", () => {
    for (const bid of bids)
      assert.ok(bid.extra.length >= 54 && bid.extra.length <= 81, `extra ${bid.extra.length}`);
    const averageAuction =
      auctions.reduce((sum, a) => sum + 48 + a.itemName.length + a.description.length + a.extra.length, 0) /
      auctions.length;
    assert.ok(Math.abs(averageAuction - 500) < 25, `auction size ${averageAuction}`);
  });

  test("people: names, emails, 19-character credit cards, cities and states from the reference lists", () => {
    for (const person of people) {
      assert.match(person.name, /^(Peter|Paul|Luke|John|Saul|Vicky|Kate|Julie|Sarah|Deiter|Walter) \w+$/);
      assert.match(person.emailAddress, /^[a-z ]*@[a-z ]*\.com$/);
      assert.match(person.creditCard, /^\d{4} \d{4} \d{4} \d{4}$/);
      assert.ok(["AZ", "CA", "ID", "OR", "WA", "WY"].includes(person.state));
    }
  });

  test("auctions: categories 10..14, reserve above the initial bid, expiry after creation", () => {
    for (const auction of auctions) {
      assert.ok(auction.category >= 10 && auction.category <= 14);
      assert.ok(auction.reserve > auction.initialBid);
      assert.ok(auction.expires > auction.dateTime);
    }
  });

  test("the same configuration yields the same events; an event depends only on its id", () => {
    const [again] = generators({ ...DEFAULT_NEXMARK_CONFIG, eventsNum: 50_000 }, 1) as [NexmarkGenerator];
    for (const k of [0, 7, 48, 4_999, 49_999]) assert.deepEqual(again.event(k), generator.event(k));
    // Reading out of order gives the same result as reading in order.
    assert.deepEqual(generator.event(12), generator.event(12));
  });
});
