/**
 * Which Nexmark queries the harness runs and how: the reference suite (q0–q22, q6 excluded as the
 * reference excludes it), the DataStream variants, and the extra tables some queries need.
 * @module
 */

/** The reference V1 suite: q0–q5 and q7–q22 (q6 needs an OVER window over retractions, FLINK-19059). */
export const SUITE: readonly string[] = [
  "q0",
  "q1",
  "q2",
  "q3",
  "q4",
  "q5",
  "q7",
  "q8",
  "q9",
  "q10",
  "q11",
  "q12",
  "q13",
  "q14",
  "q15",
  "q16",
  "q17",
  "q18",
  "q19",
  "q20",
  "q21",
  "q22",
];

/** Queries with a DataStream implementation (`--api datastream`). */
export const DATASTREAM_QUERIES: Readonly<Record<string, string>> = {
  q5: "@weir/connector-nexmark/jobs/q5",
  q7: "@weir/connector-nexmark/jobs/q7",
};

/** Apache Flink 1.13's published events/s per core (nexmark.md §3.2): the first bar of issue 7. */
export const FLINK_1_13_PER_CORE: Readonly<Record<string, number>> = {
  q0: 155_020,
  q1: 157_940,
  q2: 175_210,
  q3: 152_120,
  q4: 34_330,
  q5: 22_140,
  q7: 12_330,
  q8: 146_140,
  q9: 14_240,
  q10: 57_810,
  q11: 39_700,
  q12: 75_670,
  q13: 130_730,
  q14: 161_230,
  q15: 72_420,
  q16: 18_650,
  q17: 116_800,
  q18: 53_700,
  q19: 44_040,
  q20: 18_980,
  q21: 98_490,
  q22: 129_960,
};
