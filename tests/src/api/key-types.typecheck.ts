/**
 * Type-level tests, checked by `tsc -b` (part of `npm test`): keys infer end to end, and a wrong
 * key type is a compile error. Each `@ts-expect-error` fails the build if the line compiles.
 */

import type { ExecutionEnvironment, KeyedPartitionStream, NonKeyedPartitionStream } from "@weir/api";

interface Click {
  readonly user: string;
  readonly page: number;
  readonly at: Date;
}

export function keyTypes(env: ExecutionEnvironment, clicks: Click[]): void {
  const stream: NonKeyedPartitionStream<Click> = env.fromCollection(clicks);

  // keyBy infers the key type from the selector.
  const byUser: KeyedPartitionStream<string, Click> = stream.keyBy((c) => c.user);
  const byPage = stream.keyBy((c) => c.page);
  const byBoth = stream.keyBy((c) => [c.user, c.page] as const);

  byUser.process<string>({
    processRecord(click, out, ctx) {
      const key: string = ctx.stateManager.getCurrentKey();
      out.collect(`${key}:${click.page}`);
    },
  });

  // @ts-expect-error a Date is not a key
  stream.keyBy((c) => c.at);
  // @ts-expect-error a function is not a key
  stream.keyBy(() => () => 1);
  // @ts-expect-error undefined is not a key
  stream.keyBy(() => undefined);

  // @ts-expect-error a stream keyed by number cannot be joined with one keyed by string
  byUser.connectAndProcess(byPage, {
    processRecordFromFirstInput() {},
    processRecordFromSecondInput() {},
  });

  byBoth.process<number>({
    processRecord(_click, out, ctx) {
      const [user, page] = ctx.stateManager.getCurrentKey();
      out.collect(user.length + page);
    },
  });

  byUser.process<number>({
    processRecord(_click, out, ctx) {
      // @ts-expect-error the current key of a string-keyed stream is a string
      const wrong: number = ctx.stateManager.getCurrentKey();
      out.collect(wrong);
    },
  });

  // @ts-expect-error processing-time timers and keys do not exist on non-keyed streams' key type
  stream.process({ processRecord: (_c, _o, ctx) => ctx.stateManager.getCurrentKey().length });

  // @ts-expect-error a broadcast stream cannot be processed on its own
  stream.broadcast().process({ processRecord() {} });
}
