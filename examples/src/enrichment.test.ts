import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { CUSTOMERS, ENRICHED, type EnrichedOrder, orderAt } from "./enrichment.job.ts";

const JOB = new URL("./enrichment.job.ts", import.meta.url);

/** What each order must become, computed with plain code from the customer table. */
function expected(orders: number): EnrichedOrder[] {
  const result: EnrichedOrder[] = [];
  for (let i = 0; i < orders; i++) {
    const order = orderAt(i);
    const customer = CUSTOMERS.get(order.customerId);
    const percentOff = customer?.tier === "gold" ? 10 : customer?.tier === "silver" ? 5 : 0;
    result.push({
      ...order,
      customerName: customer === undefined ? "unknown" : customer.name,
      tier: customer === undefined ? "unknown" : customer.tier,
      country: customer === undefined ? "unknown" : customer.country,
      payableCents: Math.floor((order.amountCents * (100 - percentOff)) / 100),
    });
  }
  return result;
}

test("orders are enriched through async lookups, retried past transient failures, in order", async () => {
  const orders = 600;
  const parallelism = 2;
  const result = await runJob(JOB, { parallelism, params: { orders, latencyMs: 4, collect: true } });
  const enriched = result.collected(ENRICHED);
  assert.deepEqual(
    [...enriched].sort((a, b) => a.orderId - b.orderId),
    expected(orders),
  );
  // The generator gives subtask s the orders s, s + 2, s + 4, ...; ordered lookups keep that order.
  for (let subtask = 0; subtask < parallelism; subtask++) {
    const ids = enriched.filter((o) => o.orderId % parallelism === subtask).map((o) => o.orderId);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      `subtask ${subtask} emitted out of order`,
    );
  }
  assert.ok(
    enriched.some((o) => o.tier === "unknown"),
    "the unknown customer's orders are marked, not dropped",
  );
});
