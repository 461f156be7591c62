/** The SQL benchmarks, in the order they run (registered in ../benchmarks/index.ts). @module */

import type { Benchmark } from "../benchmark.ts";
import { sqlFilterProjection } from "./filter-projection.ts";
import { sqlGroupCountRetraction } from "./group-count-retraction.ts";
import { sqlHopWindowOnePhase, sqlHopWindowTwoPhase } from "./hop-window.ts";
import { sqlIntervalJoin } from "./interval-join.ts";
import { sqlOverRows } from "./over-rows.ts";
import { sqlThreeWayJoinBinary, sqlThreeWayJoinMulti } from "./three-way-join.ts";
import { sqlTwoWayJoin } from "./two-way-join.ts";

export const SQL_BENCHMARKS: readonly Benchmark[] = [
  sqlFilterProjection,
  sqlGroupCountRetraction,
  sqlTwoWayJoin,
  sqlThreeWayJoinBinary,
  sqlThreeWayJoinMulti,
  sqlHopWindowOnePhase,
  sqlHopWindowTwoPhase,
  sqlIntervalJoin,
  sqlOverRows,
];
