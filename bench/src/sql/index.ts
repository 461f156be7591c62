/** The SQL benchmarks, in the order they run (registered in ../benchmarks/index.ts). @module */

import type { Benchmark } from "../benchmark.ts";
import { sqlFilterProjection } from "./filter-projection.ts";
import { sqlGroupCountRetraction } from "./group-count-retraction.ts";
import { sqlTwoWayJoin } from "./two-way-join.ts";

export const SQL_BENCHMARKS: readonly Benchmark[] = [
  sqlFilterProjection,
  sqlGroupCountRetraction,
  sqlTwoWayJoin,
];
