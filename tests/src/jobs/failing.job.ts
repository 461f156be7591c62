/** Test job: a user function that throws on one record. */

import { defineJob, Sinks } from "@weir/api";

export function explodeOn(poison: number, value: number): number {
  if (value === poison) throw new RangeError(`cannot handle record ${value}`);
  return value * 2;
}

export default defineJob((env, params: { poison: number; count: number }) => {
  env
    .fromCollection(Array.from({ length: params.count }, (_, i) => i))
    .map((value) => explodeOn(params.poison, value))
    .withName("Exploding map")
    .keyBy((value) => value % 7)
    .map((value) => value)
    .withName("After the shuffle")
    .toSink(Sinks.discard());
});
