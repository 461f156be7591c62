/**
 * Nexmark q5 (hot items) on the DataStream API, for comparison with the SQL query: bids counted
 * per auction in sliding event-time windows of 10 s every 2 s, then per window the auctions whose
 * count is at least the window's maximum (ties all kept, as the SQL's `num >= maxn`).
 *
 * Stage 1 keeps one count per open window per auction and fires each at the window's last
 * millisecond; stage 2 is keyed by window end and fires after every stage-1 subtask has fired that
 * window (its watermark is the minimum over them, and stage 1 emits before forwarding it).
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

export const Q5_SIZE_MS = 10_000;
export const Q5_SLIDE_MS = 2_000;

export interface AuctionCount {
  readonly auction: number;
  readonly count: number;
  /** Window end (exclusive), epoch milliseconds. */
  readonly end: number;
}

export interface HotItem {
  readonly auction: number;
  readonly num: number;
}

export const Q5_RESULTS = Sinks.collect<HotItem>("q5");

const COUNTS = StateDeclarations.map<number, number>("counts-by-window-end");
const LEADERS = StateDeclarations.value<{ max: number; auctions: number[] }>("leaders");

/** Stage 1: per auction, a count per open sliding window, emitted when the window closes. */
class SlidingCount implements OneInputEventTimeStreamProcessFunction<Bid, AuctionCount, number> {
  #timers: EventTimeManager | undefined;

  usesStates() {
    return [COUNTS];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#timers = manager;
  }

  processRecord(
    bid: Bid,
    _output: Collector<AuctionCount>,
    ctx: PartitionedContext<AuctionCount, number>,
  ): void {
    const counts = ctx.stateManager.getState(COUNTS);
    const lastStart = Math.floor(bid.dateTime / Q5_SLIDE_MS) * Q5_SLIDE_MS;
    for (let start = lastStart; start > bid.dateTime - Q5_SIZE_MS; start -= Q5_SLIDE_MS) {
      const end = start + Q5_SIZE_MS;
      const count = counts.get(end);
      if (count === undefined) this.#timers?.registerTimer(end - 1);
      counts.put(end, (count ?? 0) + 1);
    }
  }

  onEventTimer(
    timestamp: number,
    output: Collector<AuctionCount>,
    ctx: PartitionedContext<AuctionCount, number>,
  ): void {
    const counts = ctx.stateManager.getState(COUNTS);
    const end = timestamp + 1;
    const count = counts.get(end);
    if (count === undefined) return;
    counts.remove(end);
    output.collect({ auction: ctx.stateManager.getCurrentKey(), count, end });
  }
}

/** Stage 2: per window end, the auctions with the largest count. */
class WindowLeaders implements OneInputEventTimeStreamProcessFunction<AuctionCount, HotItem, number> {
  #timers: EventTimeManager | undefined;

  usesStates() {
    return [LEADERS];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#timers = manager;
  }

  processRecord(
    count: AuctionCount,
    _output: Collector<HotItem>,
    ctx: PartitionedContext<HotItem, number>,
  ): void {
    const state = ctx.stateManager.getState(LEADERS);
    const leaders = state.value();
    if (leaders === undefined) {
      state.update({ max: count.count, auctions: [count.auction] });
      this.#timers?.registerTimer(count.end - 1);
    } else if (count.count > leaders.max) {
      state.update({ max: count.count, auctions: [count.auction] });
    } else if (count.count === leaders.max) {
      leaders.auctions.push(count.auction);
      state.update(leaders);
    }
  }

  onEventTimer(
    _timestamp: number,
    output: Collector<HotItem>,
    ctx: PartitionedContext<HotItem, number>,
  ): void {
    const state = ctx.stateManager.getState(LEADERS);
    const leaders = state.value();
    if (leaders === undefined) return;
    state.clear();
    for (const auction of leaders.auctions) output.collect({ auction, num: leaders.max });
  }
}

export default defineJob<DataStreamQueryParams>((env, params) => {
  bidStream(env, params.source)
    .keyBy((bid) => bid.auction)
    .process(EventTimeExtension.wrapProcessFunction(new SlidingCount()))
    .withName("Bids per auction (HOP 10 s / 2 s)")
    .keyBy((count) => count.end)
    .process(EventTimeExtension.wrapProcessFunction(new WindowLeaders()))
    .withName("Hottest auctions per window")
    .toSink(params.collect === true ? Q5_RESULTS : Sinks.discard());
});
