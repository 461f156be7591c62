/**
 * The bids of a Nexmark source with event time: the first stage shared by the DataStream queries.
 * Watermarks trail the largest bid time by 4 s, as the reference DDL's
 * `WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND`.
 * @module
 */

import { type ConfigurableNonKeyedStream, EventTimeExtension, type ExecutionEnvironment } from "@weir/api";
import type { Bid, NexmarkEvent } from "../generator/events.ts";
import { NexmarkSource, type NexmarkSourceOptions } from "../nexmark-source.ts";

export const BID_OUT_OF_ORDERNESS_MS = 4_000;

/** Parameters of the DataStream query jobs. */
export interface DataStreamQueryParams {
  readonly source: NexmarkSourceOptions;
  /** Collect results (tests); otherwise they are discarded (benchmarks). */
  readonly collect?: boolean;
}

function bidOf(event: NexmarkEvent): Bid | null {
  return event.type === 2 ? event.bid : null;
}

/** Nexmark bids stamped with their `dateTime`, with event-time watermarks. */
export function bidStream(
  env: ExecutionEnvironment,
  options: NexmarkSourceOptions,
): ConfigurableNonKeyedStream<Bid> {
  return env
    .fromSource(new NexmarkSource(options, bidOf), "Nexmark")
    .process<Bid>({
      processRecord(bid, output) {
        if (bid !== null) output.collect(bid);
      },
    })
    .withName("Bids")
    .process(
      EventTimeExtension.newWatermarkGeneratorBuilder((bid: Bid) => bid.dateTime)
        .withMaxOutOfOrderTime(BID_OUT_OF_ORDERNESS_MS)
        .buildAsProcessFunction(),
    )
    .withName("Bid time");
}
