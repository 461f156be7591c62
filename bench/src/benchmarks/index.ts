/** Every benchmark `npm run bench` knows, in the order they run. @module */

import type { Benchmark } from "../benchmark.ts";
import { NATS_BENCHMARKS } from "../nats/index.ts";
import { POSTGRES_BENCHMARKS } from "../postgres/index.ts";
import { SQL_BENCHMARKS } from "../sql/index.ts";
import { asyncLookup } from "./async-lookup.ts";
import { chainedMapFilter } from "./chained-map-filter.ts";
import { keyedCountExchange } from "./keyed-count-exchange.ts";
import { tumblingWindowCount } from "./tumbling-window-count.ts";

export const BENCHMARKS: readonly Benchmark[] = [
  chainedMapFilter,
  keyedCountExchange,
  asyncLookup,
  tumblingWindowCount,
  ...SQL_BENCHMARKS,
  ...POSTGRES_BENCHMARKS,
  ...NATS_BENCHMARKS,
];
