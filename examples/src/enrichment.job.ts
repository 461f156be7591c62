/**
 * Enrichment with async lookups: each order is enriched with its customer's name, tier and country
 * from a customer service that answers after a network-like latency and sometimes fails. The
 * lookups run concurrently with `processAsync` (up to 50 per subtask), in order, with a timeout and
 * retries; a customer the service does not know is marked "unknown" rather than failing the job.
 *
 * The service is simulated in this file (an in-memory table behind `setTimeout`), so the example
 * needs nothing running. Swap `CustomerService` for a real client (HTTP, a database pool) and the
 * job stays the same.
 *
 * Run it: `npx weir run examples/src/enrichment.job.ts --parallelism 2`
 */

import { type AsyncProcessFunction, defineJob, Sinks, Sources } from "@weir/api";

export interface Order {
  readonly orderId: number;
  readonly customerId: string;
  readonly amountCents: number;
}

export interface Customer {
  readonly name: string;
  readonly tier: "gold" | "silver" | "bronze";
  readonly country: string;
}

export interface EnrichedOrder extends Order {
  readonly customerName: string;
  readonly tier: Customer["tier"] | "unknown";
  readonly country: string;
  /** The amount after the tier's discount (gold 10 %, silver 5 %), rounded down to a cent. */
  readonly payableCents: number;
}

/** What the customer service knows. `c-13` places orders but has no record (an unknown customer). */
export const CUSTOMERS: ReadonlyMap<string, Customer> = new Map([
  ["c-1", { name: "Ada Lovelace", tier: "gold", country: "GB" }],
  ["c-2", { name: "Grace Hopper", tier: "silver", country: "US" }],
  ["c-3", { name: "Alan Turing", tier: "bronze", country: "GB" }],
  ["c-4", { name: "Katherine Johnson", tier: "gold", country: "US" }],
  ["c-5", { name: "Edsger Dijkstra", tier: "silver", country: "NL" }],
  ["c-6", { name: "Barbara Liskov", tier: "bronze", country: "US" }],
  ["c-7", { name: "Donald Knuth", tier: "gold", country: "US" }],
  ["c-8", { name: "Frances Allen", tier: "silver", country: "US" }],
  ["c-9", { name: "Tony Hoare", tier: "bronze", country: "GB" }],
  ["c-10", { name: "Hedy Lamarr", tier: "gold", country: "AT" }],
  ["c-11", { name: "Niklaus Wirth", tier: "silver", country: "CH" }],
  ["c-12", { name: "Margaret Hamilton", tier: "bronze", country: "US" }],
]);

/** Order `index` of the generated stream: deterministic, so tests can recompute it. */
export function orderAt(index: number): Order {
  return {
    orderId: index,
    customerId: `c-${(index * 7) % 13 === 0 ? 13 : (index * 7) % 13}`,
    amountCents: 500 + ((index * 7919) % 20_000),
  };
}

export interface EnrichmentParams {
  /** Orders to generate (default 1000). */
  readonly orders?: number;
  /** Mean latency of a lookup in milliseconds (default 5). */
  readonly latencyMs?: number;
  /** Collect the result instead of printing it (tests read it from the job result). */
  readonly collect?: boolean;
}

/**
 * A stand-in for a remote customer service: answers after `latencyMs` ± 50 %, and fails every
 * 25th call with a transient error (as a real service sometimes does), which the job retries.
 */
export class CustomerService {
  readonly #latencyMs: number;
  #calls = 0;

  constructor(latencyMs: number) {
    this.#latencyMs = latencyMs;
  }

  async lookup(customerId: string): Promise<Customer | undefined> {
    const call = ++this.#calls;
    const latency = this.#latencyMs * (0.5 + ((call * 37) % 100) / 100);
    await new Promise((resolve) => setTimeout(resolve, latency));
    if (call % 25 === 0) throw new Error(`customer service unavailable (call ${call})`);
    return CUSTOMERS.get(customerId);
  }
}

const DISCOUNT_PERCENT = { gold: 10, silver: 5, bronze: 0, unknown: 0 } as const;

function enrichWith(service: CustomerService): AsyncProcessFunction<Order, EnrichedOrder> {
  return {
    async processRecordAsync(order) {
      const customer = await service.lookup(order.customerId);
      const tier = customer?.tier ?? "unknown";
      return [
        {
          ...order,
          customerName: customer?.name ?? "unknown",
          tier,
          country: customer?.country ?? "unknown",
          payableCents: Math.floor((order.amountCents * (100 - DISCOUNT_PERCENT[tier])) / 100),
        },
      ];
    },
  };
}

/** The sink tests read results from. */
export const ENRICHED = Sinks.collect<EnrichedOrder>("enriched-orders");

export default defineJob((env, params: EnrichmentParams | undefined) => {
  const orders = params?.orders ?? 1000;
  env
    .fromSource(Sources.generator(orderAt, { count: orders }), "Orders")
    .processAsync(enrichWith(new CustomerService(params?.latencyMs ?? 5)), {
      ordered: true,
      capacity: 50,
      timeoutMs: 2_000,
      retry: { maxAttempts: 3, backoffMs: 20 },
    })
    .withName("Enrich with customer")
    .toSink(params?.collect === true ? ENRICHED : Sinks.print<EnrichedOrder>())
    .withName(params?.collect === true ? "Collect" : "Print");
});
