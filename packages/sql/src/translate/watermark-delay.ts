/**
 * How a table's watermark expression maps onto Weir's watermark generator, which takes a bounded
 * out-of-orderness: `rowtime - INTERVAL 'd' unit` is a delay of d milliseconds, `rowtime` alone a
 * delay of 0. Other strategies are refused when planning, so a job never starts with a watermark
 * it cannot produce.
 * @module
 */

import type { RexNode } from "../plan/rex.ts";

/**
 * The delay of `rowtime - INTERVAL …` (or 0 for `rowtime` itself): Weir's watermark generator takes
 * a bounded out-of-orderness, so other watermark expressions are refused when planning.
 */
export function watermarkDelay(watermark: RexNode, rowtimeIndex: number): number {
  const isRowtime = (r: RexNode): boolean =>
    (r.kind === "input-ref" && r.index === rowtimeIndex) ||
    (r.kind === "cast" && isRowtime(r.operand)) ||
    (r.kind === "call" && r.name === "REINTERPRET" && r.operands.length === 1 && isRowtime(r.operands[0]!));
  if (isRowtime(watermark)) return 0;
  if (watermark.kind === "call" && watermark.name === "-" && watermark.operands.length === 2) {
    const [left, right] = watermark.operands;
    if (isRowtime(left!) && right!.kind === "literal" && typeof right!.value === "number")
      return right!.value;
    if (isRowtime(left!) && right!.kind === "literal" && typeof right!.value === "bigint")
      return Number(right!.value);
  }
  throw new Error(
    "Only watermark strategies of the form `rowtime` or `rowtime - INTERVAL '…' unit` are supported yet",
  );
}
