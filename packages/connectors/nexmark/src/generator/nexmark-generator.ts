/**
 * The Nexmark event generator of one split: event number k → event, a pure function of the
 * configuration, the split and k (nexmark.md §1.4–1.9). Ids, kinds and timestamps follow the
 * reference formulas exactly; field contents are drawn from a random stream reseeded by event id
 * (see event-random.ts), in the reference's draw order.
 *
 * Deliberate differences from the reference Flink generator, all for reproducibility or
 * correctness: seeded per event (reference: unseeded); bidder ids offset by 1000 like Beam,
 * nexmark-rs and Feldera (reference: +2000, nexmark issue #30); fixed default base time
 * 2015-07-15 UTC (reference: job start); no out-of-order groups (reference default 1 = none).
 * @module
 */

import { EventRandom } from "./event-random.ts";
import type { Auction, Bid, NexmarkEvent, Person } from "./events.ts";
import {
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  type GeneratorSplitRange,
  type NexmarkConfig,
  NUM_CATEGORIES,
} from "./generator-config.ts";
import { CHANNEL_COUNT, channelUrl, HOT_CHANNELS, hotUrl, nextExtra, nextString } from "./strings.ts";

const PERSON_ID_LEAD = 10;
const AUCTION_ID_LEAD = 10;
const HOT_SELLER_RATIO = 100;
const HOT_AUCTION_RATIO = 100;
const HOT_BIDDER_RATIO = 100;
const HOT_CHANNELS_RATIO = 2;

const FIRST_NAMES = [
  "Peter",
  "Paul",
  "Luke",
  "John",
  "Saul",
  "Vicky",
  "Kate",
  "Julie",
  "Sarah",
  "Deiter",
  "Walter",
];
const LAST_NAMES = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"];
const US_STATES = ["AZ", "CA", "ID", "OR", "WA", "WY"];
const US_CITIES = [
  "Phoenix",
  "Los Angeles",
  "San Francisco",
  "Boise",
  "Portland",
  "Bend",
  "Redmond",
  "Seattle",
  "Kent",
  "Cheyenne",
];

export class NexmarkGenerator {
  private readonly random = new EventRandom();
  private readonly totalProportion: number;
  private readonly interEventDelayUs: number;
  private readonly eventsForAuctions: number;
  private readonly config: NexmarkConfig;
  private readonly split: GeneratorSplitRange;

  constructor(config: NexmarkConfig, split: GeneratorSplitRange) {
    this.config = config;
    this.split = split;
    this.totalProportion = config.personProportion + config.auctionProportion + config.bidProportion;
    this.interEventDelayUs = (1_000_000.0 / config.firstEventRate) * config.numEventGenerators;
    this.eventsForAuctions = Math.floor(
      (config.numInFlightAuctions * this.totalProportion) / config.auctionProportion,
    );
  }

  /** Events this split produces in total. */
  get maxEvents(): number {
    return this.split.maxEvents;
  }

  /** The reference's `timestampForEvent`: base + ⌊⌊n × delayµs⌋ / 1000⌋ ms. */
  timestampForEvent(eventNumber: number): number {
    return this.config.baseTime + Math.floor(Math.floor(eventNumber * this.interEventDelayUs) / 1000);
  }

  /** The global event id of this split's k-th event (the reference numbers events from 1). */
  eventId(k: number): number {
    return this.split.firstEventId + 1 + k;
  }

  /** Kind of event id `id`: 0 person, 1 auction, 2 bid (`id mod total` against the proportions). */
  eventType(id: number): 0 | 1 | 2 {
    const rem = id % this.totalProportion;
    if (rem < this.config.personProportion) return 0;
    if (rem < this.config.personProportion + this.config.auctionProportion) return 1;
    return 2;
  }

  /** The k-th event of this split (0 ≤ k < maxEvents). */
  event(k: number): NexmarkEvent {
    const id = this.eventId(k);
    const timestamp = this.timestampForEvent(k + 1);
    const random = this.random.reseed(id);
    switch (this.eventType(id)) {
      case 0:
        return { type: 0, person: this.person(random, id, timestamp) };
      case 1:
        return { type: 1, auction: this.auction(random, id, timestamp, k + 1) };
      default:
        return { type: 2, bid: this.bid(random, id, timestamp) };
    }
  }

  private lastBase0PersonId(id: number): number {
    const epoch = Math.floor(id / this.totalProportion);
    const offset = Math.min(id % this.totalProportion, this.config.personProportion - 1);
    return epoch * this.config.personProportion + offset;
  }

  private lastBase0AuctionId(id: number): number {
    let epoch = Math.floor(id / this.totalProportion);
    let offset = id % this.totalProportion;
    const { personProportion, auctionProportion } = this.config;
    if (offset < personProportion) {
      epoch--;
      offset = auctionProportion - 1;
    } else if (offset >= personProportion + auctionProportion) {
      offset = auctionProportion - 1;
    } else {
      offset -= personProportion;
    }
    return epoch * auctionProportion + offset;
  }

  private nextBase0PersonId(random: EventRandom, id: number): number {
    const numPeople = this.lastBase0PersonId(id) + 1;
    const active = Math.min(numPeople, this.config.numActivePeople);
    return numPeople - active + random.nextLong(active + PERSON_ID_LEAD);
  }

  private nextBase0AuctionId(random: EventRandom, id: number): number {
    const max = this.lastBase0AuctionId(id);
    const min = Math.max(max - this.config.numInFlightAuctions, 0);
    return min + random.nextLong(max - min + 1 + AUCTION_ID_LEAD);
  }

  /** Log-uniform on [100, 10^8] cents. */
  private nextPrice(random: EventRandom): number {
    return Math.round(10 ** (random.nextDouble() * 6) * 100);
  }

  private person(random: EventRandom, id: number, timestamp: number): Person {
    const name = `${FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[random.nextInt(LAST_NAMES.length)]}`;
    const emailAddress = `${nextString(random, 7)}@${nextString(random, 5)}.com`;
    const creditCard = `${pad4(random.nextInt(10_000))} ${pad4(random.nextInt(10_000))} ${pad4(random.nextInt(10_000))} ${pad4(random.nextInt(10_000))}`;
    const city = US_CITIES[random.nextInt(US_CITIES.length)] as string;
    const state = US_STATES[random.nextInt(US_STATES.length)] as string;
    const currentSize =
      8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    return {
      id: this.lastBase0PersonId(id) + FIRST_PERSON_ID,
      name,
      emailAddress,
      creditCard,
      city,
      state,
      dateTime: timestamp,
      extra: nextExtra(random, currentSize, this.config.avgPersonByteSize),
    };
  }

  private auction(random: EventRandom, id: number, timestamp: number, eventNumber: number): Auction {
    let seller: number;
    if (random.nextInt(this.config.hotSellersRatio) > 0) {
      seller = Math.floor(this.lastBase0PersonId(id) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO;
    } else {
      seller = this.nextBase0PersonId(random, id);
    }
    const category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
    const initialBid = this.nextPrice(random);
    const horizon = this.timestampForEvent(eventNumber + this.eventsForAuctions) - timestamp;
    const expires = timestamp + 1 + random.nextLong(Math.max(horizon * 2, 1));
    const itemName = nextString(random, 20);
    const description = nextString(random, 100);
    const reserve = initialBid + this.nextPrice(random);
    const currentSize = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
    return {
      id: this.lastBase0AuctionId(id) + FIRST_AUCTION_ID,
      itemName,
      description,
      initialBid,
      reserve,
      dateTime: timestamp,
      expires,
      seller: seller + FIRST_PERSON_ID,
      category,
      extra: nextExtra(random, currentSize, this.config.avgAuctionByteSize),
    };
  }

  private bid(random: EventRandom, id: number, timestamp: number): Bid {
    let auction: number;
    if (random.nextInt(this.config.hotAuctionRatio) > 0) {
      auction = Math.floor(this.lastBase0AuctionId(id) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO;
    } else {
      auction = this.nextBase0AuctionId(random, id);
    }
    let bidder: number;
    if (random.nextInt(this.config.hotBiddersRatio) > 0) {
      bidder = Math.floor(this.lastBase0PersonId(id) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1;
    } else {
      bidder = this.nextBase0PersonId(random, id);
    }
    const price = this.nextPrice(random);
    let channel: string;
    let url: string;
    if (random.nextInt(HOT_CHANNELS_RATIO) > 0) {
      const i = random.nextInt(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i] as string;
      url = hotUrl(i);
    } else {
      const n = random.nextInt(CHANNEL_COUNT);
      channel = `channel-${n}`;
      url = channelUrl(n);
    }
    return {
      auction: auction + FIRST_AUCTION_ID,
      bidder: bidder + FIRST_PERSON_ID,
      price,
      channel,
      url,
      dateTime: timestamp,
      extra: nextExtra(random, 32, this.config.avgBidByteSize),
    };
  }
}

function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`;
}
