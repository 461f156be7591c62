/**
 * Test job with one scenario per stream shape: two keyed inputs, a broadcast input, two outputs,
 * global and shuffled streams, keyed reduce, and a keyed stream kept without a shuffle.
 * `params.scenario` picks one; each writes to the collect sink `OUT`.
 */

import {
  defineJob,
  type ExecutionEnvironment,
  Sinks,
  StateDeclarations,
  type TwoInputBroadcastStreamProcessFunction,
  type TwoInputNonBroadcastStreamProcessFunction,
} from "@weir/api";

export const OUT = Sinks.collect<unknown>("out");
export const SECOND = Sinks.collect<unknown>("second");

export interface Order {
  readonly user: string;
  readonly amount: number;
}
export interface User {
  readonly user: string;
  readonly country: string;
}

const LAST_USER = StateDeclarations.value<User>("user");
const PENDING = StateDeclarations.list<Order>("pending");

/** Joins orders with the latest user record per user, buffering orders that arrive first. */
const joinOrdersWithUsers: TwoInputNonBroadcastStreamProcessFunction<Order, User, string, string> = {
  usesStates: () => [LAST_USER, PENDING],
  processRecordFromFirstInput(order, output, ctx) {
    const user = ctx.stateManager.getState(LAST_USER).value();
    if (user === undefined) ctx.stateManager.getState(PENDING).add(order);
    else output.collect(`${order.user}:${user.country}:${order.amount}`);
  },
  processRecordFromSecondInput(user, output, ctx) {
    ctx.stateManager.getState(LAST_USER).update(user);
    const pending = ctx.stateManager.getState(PENDING);
    for (const order of pending.get()) output.collect(`${order.user}:${user.country}:${order.amount}`);
    pending.clear();
  },
};

const RATES = StateDeclarations.broadcast<string, number>("rates");

/** Converts amounts with rates from a broadcast stream; amounts arriving before their rate are held. */
const convert: TwoInputBroadcastStreamProcessFunction<
  { currency: string; amount: number },
  [string, number],
  string
> = {
  usesStates: () => [RATES],
  processRecordFromNonBroadcastInput(payment, output, ctx) {
    const rate = ctx.nonPartitionedContext.stateManager.getState(RATES).get(payment.currency);
    output.collect(rate === undefined ? `unknown:${payment.currency}` : `${payment.amount * rate}`);
  },
  processRecordFromBroadcastInput([currency, rate], ctx) {
    ctx.stateManager.getState(RATES).put(currency, rate);
  },
};

type Scenario = (env: ExecutionEnvironment, params: Record<string, unknown>) => void;

export const SCENARIOS: Record<string, Scenario> = {
  "keyed-join"(env, params) {
    const orders = env.fromCollection(params.orders as Order[]).keyBy((o) => o.user);
    const users = env.fromCollection(params.users as User[]).keyBy((u) => u.user);
    orders.connectAndProcess(users, joinOrdersWithUsers).toSink(OUT);
  },
  "broadcast-rates"(env, params) {
    const rates = env.fromCollection(params.rates as [string, number][]).broadcast();
    env
      .fromCollection(params.payments as { currency: string; amount: number }[])
      .connectAndProcess(rates, convert)
      .toSink(OUT);
  },
  "two-outputs"(env, params) {
    const split = env.fromCollection(params.numbers as number[]).processTwoOutput<number, string>({
      processRecord(n, evens, odds) {
        if (n % 2 === 0) evens.collect(n);
        else odds.collect(`odd ${n}`);
      },
    });
    split.first.toSink(OUT);
    split.second.toSink(SECOND);
  },
  "global-count"(env, params) {
    const COUNT = StateDeclarations.value<number>("count");
    env
      .fromCollection(params.numbers as number[])
      .global()
      .process<number>({
        usesStates: () => [COUNT],
        processRecord(_n, _out, ctx) {
          const count = ctx.stateManager.getState(COUNT);
          count.update((count.value() ?? 0) + 1);
        },
        endInput(ctx) {
          ctx.applyToAllPartitions((out, partition) =>
            out.collect(partition.stateManager.getState(COUNT).value() ?? 0),
          );
        },
      })
      .toSink(OUT);
  },
  "shuffle-subtasks"(env, params) {
    env
      .fromCollection(params.numbers as number[])
      .withParallelism(1)
      .shuffle()
      .process<[number, number]>({
        processRecord(n, out, ctx) {
          out.collect([ctx.taskInfo.indexOfThisSubtask, n]);
        },
      })
      .withParallelism(3)
      .toSink(OUT);
  },
  "keyed-reduce"(env, params) {
    env
      .fromCollection(params.words as string[])
      .map((w) => [w, 1] as [string, number])
      .keyBy(([w]) => w)
      .reduce(([w, a], [, b]) => [w, a + b])
      // reduce keeps the stream keyed: this process sees the same key without a shuffle.
      .process<string>({
        processRecord([w, n], out, ctx) {
          out.collect(`${ctx.stateManager.getCurrentKey()}=${w}:${n}`);
        },
      })
      .toSink(OUT);
  },
  "execute-in-job"(env, params) {
    env
      .fromCollection(params.numbers as number[])
      .map((n) => n + 1)
      .toSink(OUT);
  },
};

export default defineJob(async (env, params: Record<string, unknown>) => {
  const scenario = SCENARIOS[params.scenario as string];
  if (scenario === undefined) throw new Error(`unknown scenario ${String(params.scenario)}`);
  scenario(env, params);
  if (params.scenario === "execute-in-job") {
    // A job may run itself and act on the result; that code runs only on the coordinator.
    const result = await env.execute("named-by-the-job");
    if (result.collected(OUT).length !== (params.numbers as number[]).length) throw new Error("lost records");
  }
});
