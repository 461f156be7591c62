/**
 * Nexmark generator configuration and its split into parallel generators, following the reference
 * Flink generator (nexmark/nexmark `GeneratorConfig`): each split owns a contiguous block of event
 * ids and all splits run on parallel, identical timelines (the k-th event of every split has the
 * same timestamp).
 *
 * Invariant: for a given configuration the event ids, kinds and timestamps are pure functions of
 * (split, event number), so a restored reader resumes at exactly the event it stopped at.
 * @module
 */

/** The knobs of the reference generator that change the data (defaults as in NexmarkConfiguration). */
export interface NexmarkConfig {
  /** Total events over all splits; 0 means unbounded. */
  readonly eventsNum: number;
  /** Events per second of *event time* over all generators (`first-event.rate`). */
  readonly firstEventRate: number;
  /** Parallel generators sharing the rate (the reference takes `parallelism.default`). */
  readonly numEventGenerators: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
  readonly hotAuctionRatio: number;
  readonly hotBiddersRatio: number;
  readonly hotSellersRatio: number;
  readonly numInFlightAuctions: number;
  readonly numActivePeople: number;
  /** Epoch milliseconds of the first event (the reference uses the job start time). */
  readonly baseTime: number;
}

/** 2015-07-15T00:00:00Z, Beam's fixed base time: runs are reproducible, unlike Flink's "now". */
export const DEFAULT_BASE_TIME = 1_436_918_400_000;

export const DEFAULT_NEXMARK_CONFIG: NexmarkConfig = Object.freeze({
  eventsNum: 0,
  firstEventRate: 10_000,
  numEventGenerators: 1,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  hotAuctionRatio: 2,
  hotBiddersRatio: 4,
  hotSellersRatio: 4,
  numInFlightAuctions: 100,
  numActivePeople: 1000,
  baseTime: DEFAULT_BASE_TIME,
});

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
export const NUM_CATEGORIES = 5;

/** Unbounded runs still need a finite id space (the reference's Long.MAX_VALUE / (50 × 500)). */
const UNBOUNDED_MAX_EVENTS = Math.floor(Number.MAX_SAFE_INTEGER / 50_000);

/** One parallel generator: a contiguous block of event ids on the shared timeline. */
export interface GeneratorSplitRange {
  readonly index: number;
  /** Event id of event number 0 minus 1 (the reference's `firstEventId`; its first id is this + 1). */
  readonly firstEventId: number;
  /** Events this split produces. */
  readonly maxEvents: number;
}

/** Splits the id space into `n` contiguous blocks; the last takes the remainder. */
export function splitGenerators(config: NexmarkConfig, n: number): GeneratorSplitRange[] {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`nexmark: split count must be a positive integer, got ${n}`);
  const total = config.eventsNum > 0 ? config.eventsNum : UNBOUNDED_MAX_EVENTS * n;
  const per = Math.floor(total / n);
  const splits: GeneratorSplitRange[] = [];
  for (let i = 0; i < n; i++) {
    splits.push({
      index: i,
      firstEventId: 1 + i * per,
      maxEvents: i === n - 1 ? total - per * (n - 1) : per,
    });
  }
  return splits;
}

/** Validates a configuration; the message names the SQL option at fault. */
export function validateNexmarkConfig(config: NexmarkConfig): void {
  const positive: [keyof NexmarkConfig, string][] = [
    ["firstEventRate", "first-event.rate"],
    ["numEventGenerators", "parallelism"],
    ["personProportion", "person.proportion"],
    ["auctionProportion", "auction.proportion"],
    ["bidProportion", "bid.proportion"],
    ["hotAuctionRatio", "bid.hot-ratio.auctions"],
    ["hotBiddersRatio", "bid.hot-ratio.bidders"],
    ["hotSellersRatio", "auction.hot-ratio.sellers"],
    ["numInFlightAuctions", "numInFlightAuctions"],
    ["numActivePeople", "numActivePeople"],
    ["avgPersonByteSize", "person.avg-size"],
    ["avgAuctionByteSize", "auction.avg-size"],
    ["avgBidByteSize", "bid.avg-size"],
  ];
  for (const [key, option] of positive) {
    const value = config[key];
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`nexmark: '${option}' must be a positive number, got ${value}`);
    }
  }
  if (!Number.isSafeInteger(config.eventsNum) || config.eventsNum < 0) {
    throw new RangeError(`nexmark: 'events.num' must be a non-negative integer, got ${config.eventsNum}`);
  }
  if (!Number.isFinite(config.baseTime)) throw new RangeError(`nexmark: 'base-time' is not a valid time`);
}
