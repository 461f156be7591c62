/**
 * Sessionization: clicks per user grouped into event-time session windows. A session is a run of a
 * user's clicks less than `gapMs` apart (default 30 minutes); when event time passes its end (the
 * last click + the gap) the job emits one summary per session: when it started, how long it lasted,
 * how many clicks and distinct pages, and the entry and exit pages.
 *
 * Clicks arrive out of order (up to `maxOutOfOrdernessMs`, default one minute); a watermark
 * generator stamps them with their click time, and the window extension merges sessions as clicks
 * fill the gaps between them. Each session's summary is computed incrementally (an aggregate with
 * `merge`), so a session's state is one small accumulator however many clicks it has.
 *
 * Run it: `npx weir run examples/src/sessionization.job.ts --parallelism 2`
 */

import {
  type AggregateFunction,
  defineJob,
  EventTimeExtension,
  Sinks,
  WindowFunctions,
  WindowStrategy,
  Windows,
} from "@weir/api";

export interface Click {
  readonly user: string;
  readonly page: string;
  /** Click time, milliseconds since the epoch. */
  readonly at: number;
}

export interface SessionSummary {
  readonly user: string;
  /** Time of the first click. */
  readonly start: number;
  /** Time of the last click. */
  readonly lastClick: number;
  /** End of the session window: the last click + the gap. */
  readonly end: number;
  readonly clicks: number;
  readonly distinctPages: number;
  /** Page of the first click (the smallest page name among clicks at the same time). */
  readonly entryPage: string;
  /** Page of the last click (the largest page name among clicks at the same time). */
  readonly exitPage: string;
}

export interface SessionizationParams {
  /** Clicks to sessionize; defaults to {@link DEFAULT_CLICKS}. */
  readonly clicks?: readonly Click[];
  /** Inactivity that ends a session (default 30 minutes). */
  readonly gapMs?: number;
  /** How far out of order clicks may arrive (default one minute). */
  readonly maxOutOfOrdernessMs?: number;
  /** Collect the result instead of printing it (tests read it from the job result). */
  readonly collect?: boolean;
}

export const DEFAULT_GAP_MS = 30 * 60_000;
export const DEFAULT_MAX_OUT_OF_ORDERNESS_MS = 60_000;

/** A small deterministic pseudo-random generator (mulberry32), so the default clicks are fixed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A morning of clicks by five users: visits of a few clicks seconds to minutes apart, separated by
 * breaks of 10 to 90 minutes, delivered out of order by up to `maxOutOfOrdernessMs`.
 */
function generateClicks(maxOutOfOrdernessMs: number): Click[] {
  const next = random(2026);
  const pages = ["/", "/search", "/product", "/cart", "/checkout", "/help"];
  const morning = Date.UTC(2026, 0, 5, 8, 0, 0);
  const clicks: { click: Click; arrival: number }[] = [];
  for (const user of ["ana", "ben", "chloe", "dev", "eve"]) {
    let at = morning + Math.floor(next() * 20 * 60_000);
    for (let visit = 0; visit < 4; visit++) {
      const length = 1 + Math.floor(next() * 8);
      for (let i = 0; i < length; i++) {
        at += Math.floor(next() * 5 * 60_000);
        const click = { user, page: pages[Math.floor(next() * pages.length)]!, at };
        clicks.push({ click, arrival: at + Math.floor(next() * maxOutOfOrdernessMs) });
      }
      at += 10 * 60_000 + Math.floor(next() * 80 * 60_000);
    }
  }
  // Sorting by click time plus a delay below the bound keeps every click within the bound.
  return clicks.sort((a, b) => a.arrival - b.arrival).map((c) => c.click);
}

/** The default input: about a hundred clicks of five users on one morning. */
export const DEFAULT_CLICKS: readonly Click[] = generateClicks(DEFAULT_MAX_OUT_OF_ORDERNESS_MS);

interface SessionAccumulator {
  clicks: number;
  start: number;
  entryPage: string;
  lastClick: number;
  exitPage: string;
  /** Distinct pages, sorted. */
  pages: string[];
}

/** (at, page) order: earlier first, then by page name; decides entry and exit pages without ties. */
const before = (at1: number, page1: string, at2: number, page2: string) =>
  at1 < at2 || (at1 === at2 && page1 < page2);

function withPage(pages: string[], page: string): string[] {
  if (pages.includes(page)) return pages;
  pages.push(page);
  pages.sort();
  return pages;
}

/** Folds clicks into a session summary; `merge` joins two sessions that a click connected. */
const SUMMARIZE: AggregateFunction<Click, SessionAccumulator, SessionAccumulator> = {
  createAccumulator: () => ({
    clicks: 0,
    start: Number.POSITIVE_INFINITY,
    entryPage: "",
    lastClick: Number.NEGATIVE_INFINITY,
    exitPage: "",
    pages: [],
  }),
  add(click, acc) {
    acc.clicks += 1;
    if (before(click.at, click.page, acc.start, acc.entryPage)) {
      acc.start = click.at;
      acc.entryPage = click.page;
    }
    if (before(acc.lastClick, acc.exitPage, click.at, click.page)) {
      acc.lastClick = click.at;
      acc.exitPage = click.page;
    }
    acc.pages = withPage(acc.pages, click.page);
    return acc;
  },
  getResult: (acc) => acc,
  merge(a, b) {
    const [first, second] = before(a.start, a.entryPage, b.start, b.entryPage) ? [a, b] : [b, a];
    const [, last] = before(a.lastClick, a.exitPage, b.lastClick, b.exitPage) ? [a, b] : [b, a];
    return {
      clicks: a.clicks + b.clicks,
      start: first.start,
      entryPage: first.entryPage,
      lastClick: last.lastClick,
      exitPage: last.exitPage,
      pages: second.pages.reduce(withPage, [...first.pages]),
    };
  },
};

/** The sink tests read results from. */
export const SESSIONS = Sinks.collect<SessionSummary>("sessions");

export default defineJob((env, params: SessionizationParams | undefined) => {
  const gapMs = params?.gapMs ?? DEFAULT_GAP_MS;
  const maxOutOfOrdernessMs = params?.maxOutOfOrdernessMs ?? DEFAULT_MAX_OUT_OF_ORDERNESS_MS;
  const sessions = env
    .fromCollection(params?.clicks ?? DEFAULT_CLICKS)
    .withName("Clicks")
    .process(
      EventTimeExtension.newWatermarkGeneratorBuilder((click: Click) => click.at)
        .withMaxOutOfOrderTime(maxOutOfOrdernessMs)
        .buildAsProcessFunction(),
    )
    .withName("Click time")
    .keyBy((click) => click.user)
    .process(
      Windows.window(
        WindowStrategy.session(gapMs),
        WindowFunctions.aggregate(SUMMARIZE, {
          process(user: string, window, [session], out) {
            out.collect({
              user,
              start: session.start,
              lastClick: session.lastClick,
              end: window.end,
              clicks: session.clicks,
              distinctPages: session.pages.length,
              entryPage: session.entryPage,
              exitPage: session.exitPage,
            });
          },
        }),
      ),
    )
    .withName("Sessions");
  sessions.toSink(params?.collect === true ? SESSIONS : Sinks.print());
});
