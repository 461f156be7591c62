/**
 * Nexmark q7 (highest bid) on the DataStream API, for comparison with the SQL query: the maximum
 * bid price of each 10 s tumbling event-time window, joined back to every bid with that price whose
 * time lies in [window end − 10 s, window end] (both ends included, as the SQL's BETWEEN).
 *
 * A bid at time t contributes to the window holding t; a bid exactly on a window boundary (t a
 * multiple of 10 s) also probes the window that ends at t, without contributing to its maximum. Per
 * window only the bids that can still win are kept: those priced at or above the running maximum.
 * @module
 */

import {
  type Collector,
  defineJob,
  EventTimeExtension,
  type EventTimeManager,
  type OneInputEventTimeStreamProcessFunction,
  type PartitionedContext,
  Sinks,
  StateDeclarations,
} from "@weir/api";
import type { Bid } from "../generator/events.ts";
import { bidStream, type DataStreamQueryParams } from "./bid-stream.ts";

export const Q7_WINDOW_MS = 10_000;

/** The output columns of the reference query, in its SELECT order. */
export interface HighestBid {
  readonly auction: number;
  readonly price: number;
  readonly bidder: number;
  readonly dateTime: number;
  readonly extra: string;
}

interface WindowedBid {
  readonly bid: Bid;
  readonly end: number;
  /** False for a boundary bid probing the previous window. */
  readonly contributes: boolean;
}

interface Candidates {
  /** Largest contributing price so far; -1 before the first. */
  max: number;
  /** Bids priced at or above `max` (probes included). */
  bids: Bid[];
}

export const Q7_RESULTS = Sinks.collect<HighestBid>("q7");

const CANDIDATES = StateDeclarations.value<Candidates>("candidates");

class HighestBidPerWindow implements OneInputEventTimeStreamProcessFunction<WindowedBid, HighestBid, number> {
  #timers: EventTimeManager | undefined;

  usesStates() {
    return [CANDIDATES];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#timers = manager;
  }

  processRecord(
    windowed: WindowedBid,
    _output: Collector<HighestBid>,
    ctx: PartitionedContext<HighestBid, number>,
  ): void {
    const state = ctx.stateManager.getState(CANDIDATES);
    let candidates = state.value();
    if (candidates === undefined) {
      candidates = { max: -1, bids: [] };
      this.#timers?.registerTimer(windowed.end - 1);
    }
    const { bid } = windowed;
    if (windowed.contributes && bid.price > candidates.max) {
      candidates.max = bid.price;
      candidates.bids = candidates.bids.filter((kept) => kept.price >= bid.price);
    }
    if (bid.price >= candidates.max) candidates.bids.push(bid);
    state.update(candidates);
  }

  onEventTimer(
    _timestamp: number,
    output: Collector<HighestBid>,
    ctx: PartitionedContext<HighestBid, number>,
  ): void {
    const state = ctx.stateManager.getState(CANDIDATES);
    const candidates = state.value();
    if (candidates === undefined) return;
    state.clear();
    if (candidates.max < 0) return;
    for (const bid of candidates.bids) {
      if (bid.price === candidates.max) {
        output.collect({
          auction: bid.auction,
          price: bid.price,
          bidder: bid.bidder,
          dateTime: bid.dateTime,
          extra: bid.extra,
        });
      }
    }
  }
}

export default defineJob<DataStreamQueryParams>((env, params) => {
  bidStream(env, params.source)
    .process<WindowedBid>({
      processRecord(bid, output) {
        const end = Math.floor(bid.dateTime / Q7_WINDOW_MS) * Q7_WINDOW_MS + Q7_WINDOW_MS;
        output.collect({ bid, end, contributes: true });
        if (bid.dateTime % Q7_WINDOW_MS === 0) output.collect({ bid, end: bid.dateTime, contributes: false });
      },
    })
    .withName("Assign tumbling windows")
    .keyBy((windowed) => windowed.end)
    .process(EventTimeExtension.wrapProcessFunction(new HighestBidPerWindow()))
    .withName("Highest bids per window")
    .toSink(params.collect === true ? Q7_RESULTS : Sinks.discard());
});
