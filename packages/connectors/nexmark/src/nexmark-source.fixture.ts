/** Test job: Nexmark events at a given parallelism into a collect sink, optionally failing once. */

import { defineJob, Sinks } from "@weir/api";
import type { NexmarkEvent } from "./generator/events.ts";
import { nexmarkSource } from "./nexmark-source.ts";

export const EVENTS = Sinks.collect<NexmarkEvent>("events");

export interface NexmarkFixtureParams {
  readonly eventsNum: number;
  /** Fail once (first attempt) after this many records in subtask 0; -1 for never. */
  readonly failAfter: number;
}

export default defineJob<NexmarkFixtureParams>((env, params) => {
  let seen = 0;
  env
    .fromSource(nexmarkSource({ eventsNum: params.eventsNum }), "nexmark")
    .process<NexmarkEvent>({
      processRecord(event, output, ctx) {
        seen++;
        if (
          seen === params.failAfter &&
          ctx.taskInfo.indexOfThisSubtask === 0 &&
          ctx.taskInfo.attemptNumber === 0
        ) {
          throw new Error("injected failure");
        }
        output.collect(event);
      },
    })
    .toSink(EVENTS);
});
