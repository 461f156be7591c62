/**
 * Type-level tests of the window extension, checked by `tsc -b` (part of `npm test`): window
 * functions compose with keyed and non-keyed streams, key types flow into window functions, and
 * mismatched record or key types are compile errors. Each `@ts-expect-error` fails the build if the
 * line compiles.
 */

import {
  type AggregateFunction,
  type ConfigurableNonKeyedStream,
  type ExecutionEnvironment,
  type NonKeyedPartitionStream,
  WindowFunctions,
  WindowStrategy,
  Windows,
} from "@weir/api";

interface Click {
  readonly user: string;
  readonly at: number;
}

const COUNT: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_record, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

export function windowTypes(env: ExecutionEnvironment, clicks: Click[]): void {
  const stream = env.fromCollection(clicks);
  const byUser = stream.keyBy((c) => c.user);

  // A generic aggregate on a keyed stream: the output is the aggregate's result.
  const counts: ConfigurableNonKeyedStream<number> = byUser.process(
    Windows.window(WindowStrategy.tumbling(1_000), WindowFunctions.aggregate(COUNT)),
  );

  // The key type reaches the window function; the combined function sees exactly one result.
  byUser.process(
    Windows.window(
      WindowStrategy.session(1_000),
      WindowFunctions.aggregate(COUNT, {
        process(user: string, window, [count], out) {
          const n: number = count;
          out.collect({ user, start: window.start, n });
        },
      }),
    ),
  );

  // Late records as a second stream.
  const { first, second } = byUser
    .process(Windows.windowWithLateRecords(WindowStrategy.tumbling(1_000), WindowFunctions.aggregate(COUNT)))
    .processTwoOutput(Windows.splitLateRecords<number, Click>());
  const results: NonKeyedPartitionStream<number> = first;
  const late: NonKeyedPartitionStream<Click> = second;

  // The global window also works on non-keyed streams.
  stream.process(
    Windows.window(
      WindowStrategy.global(),
      WindowFunctions.process<Click, number, never>({
        process(_key, _window, records, out) {
          out.collect(records.length);
        },
      }),
    ),
  );

  byUser.process(
    // @ts-expect-error the window function's records are numbers, the stream's are clicks
    Windows.window(WindowStrategy.tumbling(1_000), WindowFunctions.process<number, number, string>(null!)),
  );
  byUser.process(
    // @ts-expect-error the stream is keyed by strings, the window function by numbers
    Windows.window(
      WindowStrategy.tumbling(1_000),
      WindowFunctions.aggregate(COUNT, {
        process(user: number, _window, [count], out) {
          out.collect(user + count);
        },
      }),
    ),
  );
  void counts;
  void results;
  void late;
}
