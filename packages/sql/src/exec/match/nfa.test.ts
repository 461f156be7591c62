/**
 * The match automaton on letter sequences: quantifiers (greedy and reluctant), skip strategies,
 * WITHIN, held-back matches; plus a property test against an independent backtracking matcher
 * that enumerates a pattern's matches from each start and applies Flink's selection rule (earliest
 * start, then earliest end; resume past the match or at the next row).
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PatternElement, SkipStrategy } from "./match-specs.ts";
import { type BufferNode, emptyNfaState, MatchAutomaton, MatchSkipError } from "./nfa.ts";

/** `[variable, min, max, greedy, letters the variable accepts]`. */
type El = readonly [string, number, number | null, boolean, string];

function run(
  elements: readonly El[],
  input: string,
  skip: SkipStrategy = { kind: "past-last-row" },
  withinMs: number | null = null,
  times?: readonly number[],
): string[] {
  const pattern: PatternElement[] = elements.map(([variable, min, max, greedy]) => ({
    variable,
    min,
    max,
    greedy,
  }));
  const automaton = new MatchAutomaton(
    pattern,
    (element, row) => elements[element]![4].includes(row[0] as string),
    skip,
    withinMs,
  );
  const state = emptyNfaState();
  const out: string[] = [];
  const emit = (match: readonly BufferNode[]) =>
    out.push(match.map((n) => `${pattern[n.element]!.variable}${n.event.seq}`).join(" "));
  [...input].forEach((letter, seq) => {
    const time = times?.[seq] ?? seq;
    automaton.advanceTime(state, time, emit);
    automaton.process(state, { seq, time, row: [letter] }, emit);
  });
  automaton.advanceTime(state, Number.POSITIVE_INFINITY, emit);
  return out;
}

describe("match automaton", () => {
  test("a sequence of single variables matches contiguous rows only", () => {
    assert.deepEqual(
      run(
        [
          ["A", 1, 1, false, "a"],
          ["B", 1, 1, false, "b"],
        ],
        "abxabab",
      ),
      ["A0 B1", "A3 B4", "A5 B6"],
    );
  });

  test("a greedy loop keeps taking rows its condition accepts and never gives one back", () => {
    // B+ greedy over 'b' or 'c' eats the c the C element wanted: no match at all.
    assert.deepEqual(
      run(
        [
          ["A", 1, 1, false, "a"],
          ["B", 1, null, true, "bc"],
          ["C", 1, 1, false, "c"],
        ],
        "abbc",
      ),
      [],
    );
    assert.deepEqual(
      run(
        [
          ["A", 1, 1, false, "a"],
          ["B", 1, null, true, "b"],
          ["C", 1, 1, false, "c"],
        ],
        "abbbc",
      ),
      ["A0 B1 B2 B3 C4"],
    );
  });

  test("a reluctant loop hands the row to the next element when both accept it", () => {
    assert.deepEqual(
      run(
        [
          ["A", 1, 1, false, "a"],
          ["B", 1, null, false, "bc"],
          ["C", 1, 1, false, "c"],
        ],
        "abcbc",
      ),
      ["A0 B1 C2"],
    );
  });

  test("a reluctant loop at the end stops at its minimum", () => {
    assert.deepEqual(
      run(
        [
          ["A", 1, 1, false, "a"],
          ["B", 2, null, false, "b"],
        ],
        "abbbab",
      ),
      ["A0 B1 B2"],
    );
  });

  test("{n,m} bounds and an optional element", () => {
    const pattern: El[] = [
      ["A", 1, 1, false, "a"],
      ["B", 2, 3, true, "b"],
      ["C", 0, 1, false, "c"],
      ["D", 1, 1, false, "d"],
    ];
    assert.deepEqual(run(pattern, "abbd abbbcd abbbbd abd"), ["A0 B1 B2 D3", "A5 B6 B7 B8 C9 D10"]);
  });

  test("SKIP TO NEXT ROW finds overlapping matches; SKIP PAST LAST ROW does not", () => {
    const pattern: El[] = [
      ["A", 1, 1, false, "a"],
      ["B", 1, null, false, "ab"],
      ["C", 1, 1, false, "c"],
    ];
    assert.deepEqual(run(pattern, "aabc"), ["A0 B1 B2 C3"]);
    assert.deepEqual(run(pattern, "aabc", { kind: "to-next-row" }), ["A0 B1 B2 C3", "A1 B2 C3"]);
  });

  test("SKIP TO FIRST / TO LAST resume at the variable's row", () => {
    const pattern: El[] = [
      ["A", 1, 1, false, "a"],
      ["B", 1, null, false, "ab"],
      ["C", 1, 1, false, "c"],
    ];
    // TO LAST B: resume at the last B row (2); it cannot start a match, so only one match.
    assert.deepEqual(run(pattern, "aabc", { kind: "to-last", variable: "B" }), ["A0 B1 B2 C3"]);
    // TO FIRST B: resume at row 1, which starts the match a1 b2 c3.
    assert.deepEqual(run(pattern, "aabc", { kind: "to-first", variable: "B" }), ["A0 B1 B2 C3", "A1 B2 C3"]);
  });

  test("skipping to a variable without rows, or to the match's first row, fails as Flink does", () => {
    const optional: El[] = [
      ["A", 1, 1, false, "a"],
      ["B", 0, 1, false, "b"],
      ["C", 1, 1, false, "c"],
    ];
    assert.throws(
      () => run(optional, "ac", { kind: "to-first", variable: "B" }),
      (e: unknown) =>
        e instanceof MatchSkipError &&
        /Could not skip to B\. No such element in the found match \{A=\[\[a\]\], C=\[\[c\]\]\}/.test(
          e.message,
        ),
    );
    assert.throws(
      () => run(optional, "abc", { kind: "to-first", variable: "A" }),
      /Could not skip to first element of a match\./,
    );
  });

  test("a match waits for a partial match that started earlier", () => {
    // A B C | B C: "abc" completes B1 C2 first (start 1), but A0 B1 C2... is still open at row 2.
    const pattern: El[] = [
      ["A", 0, 1, false, "a"],
      ["B", 1, 1, false, "b"],
      ["C", 1, null, false, "c"],
    ];
    assert.deepEqual(run(pattern, "abc"), ["A0 B1 C2"]);
  });

  test("a held match goes out when the earlier partial match times out", () => {
    // A B+? C where C only ends short matches (at most two rows before it): at c4 the match
    // a2 b3 c4 completes while a0 … (which took c4 as a B) is still open, so it is held.
    const pattern: PatternElement[] = [
      { variable: "A", min: 1, max: 1, greedy: false },
      { variable: "B", min: 1, max: null, greedy: false },
      { variable: "C", min: 1, max: 1, greedy: false },
    ];
    const accepts = ["a", "abc", "c"];
    const automaton = new MatchAutomaton(
      pattern,
      (element, row, matched) =>
        accepts[element]!.includes(row[0] as string) && (element < 2 || matched.length <= 2),
      { kind: "past-last-row" },
      5,
    );
    const state = emptyNfaState();
    const out: number[][] = [];
    const emit = (match: readonly BufferNode[]) => out.push(match.map((n) => n.event.seq));
    for (const [seq, letter] of [..."ababc"].entries()) {
      automaton.process(state, { seq, time: seq, row: [letter] }, emit);
    }
    assert.deepEqual(out, [], "held behind the partial match started at 0");
    assert.equal(automaton.nextTimeout(state), 5);
    automaton.advanceTime(state, 5, emit);
    assert.deepEqual(out, [[2, 3, 4]]);
  });

  test("WITHIN discards partial matches whose first row is too old", () => {
    const pattern: El[] = [
      ["A", 1, 1, false, "a"],
      ["B", 1, null, false, "b"],
      ["C", 1, 1, false, "c"],
    ];
    // times: a@0 b@5 c@10 → span 10: within 10 refuses (≥), within 11 accepts.
    assert.deepEqual(run(pattern, "abc", { kind: "past-last-row" }, 10, [0, 5, 10]), []);
    assert.deepEqual(run(pattern, "abc", { kind: "past-last-row" }, 11, [0, 5, 10]), ["A0 B1 C2"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property test against an independent backtracking matcher.

/** Every end of a match of `pattern` starting at `start`, by depth-first backtracking. */
function referenceEnds(pattern: readonly El[], input: string, start: number): number[] {
  const ends: number[] = [];
  const canStop = (i: number, count: number): boolean => {
    const [, min, max, greedy] = pattern[i]!;
    if (count < min) return false;
    if (greedy && (max === null || count < max)) return false; // a greedy loop with room never stops
    return pattern.slice(i + 1).every(([, m, , g]) => m === 0 && !g);
  };
  const search = (i: number, count: number, pos: number): void => {
    const [, min, max, greedy, letters] = pattern[i]!;
    const accepts = pos < input.length && (max === null || count < max) && letters.includes(input[pos]!);
    if (accepts) {
      if (canStop(i, count + 1)) ends.push(pos);
      search(i, count + 1, pos + 1);
    }
    if (count >= min && i + 1 < pattern.length && !(greedy && accepts)) search(i + 1, 0, pos);
  };
  search(0, 0, start);
  return ends;
}

function referenceMatches(
  pattern: readonly El[],
  input: string,
  skip: "past-last-row" | "to-next-row",
): string[] {
  const out: string[] = [];
  let from = 0;
  for (let start = from; start < input.length; start++) {
    if (start < from) continue;
    const ends = referenceEnds(pattern, input, start);
    if (ends.length === 0) continue;
    const end = Math.min(...ends);
    out.push(`${start}-${end}`);
    from = skip === "past-last-row" ? end + 1 : start + 1;
  }
  return out;
}

/** Mulberry32: a small seeded generator, so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPattern(next: () => number): El[] {
  const length = 1 + Math.floor(next() * 3);
  const letterSets = ["a", "b", "c", "ab", "bc", "abc"];
  const quantifiers: [number, number | null][] = [
    [1, 1],
    [0, 1],
    [1, null],
    [0, null],
    [2, 2],
    [1, 3],
    [2, null],
  ];
  const pattern: El[] = [];
  for (let i = 0; i < length; i++) {
    const [min, max] = quantifiers[Math.floor(next() * quantifiers.length)]!;
    const looping = min !== max && !(min === 0 && max === 1);
    const last = i === length - 1;
    const greedy = looping && !last && next() < 0.5;
    pattern.push([`${"ABC"[i]}`, min, max, greedy, letterSets[Math.floor(next() * letterSets.length)]!]);
  }
  if (pattern.every(([, min]) => min === 0)) pattern[0] = [pattern[0]![0], 1, 1, false, pattern[0]![4]];
  return pattern;
}

describe("match automaton against a backtracking reference", () => {
  for (const skip of ["past-last-row", "to-next-row"] as const) {
    test(`random patterns and inputs, SKIP ${skip}`, () => {
      const next = random(skip === "past-last-row" ? 17 : 29);
      let found = 0;
      for (let round = 0; round < 400; round++) {
        const pattern = randomPattern(next);
        const length = Math.floor(next() * 12);
        let input = "";
        for (let i = 0; i < length; i++) input += "abc"[Math.floor(next() * 3)];
        const spans = run(pattern, input, { kind: skip }).map((m) => {
          const seqs = m.split(" ").map((n) => Number(n.slice(n.search(/\d+$/))));
          return `${seqs[0]}-${seqs[seqs.length - 1]}`;
        });
        assert.deepEqual(
          spans,
          referenceMatches(pattern, input, skip),
          `pattern ${JSON.stringify(pattern)} input ${JSON.stringify(input)}`,
        );
        found += spans.length;
      }
      assert.ok(found > 200, `the inputs should produce matches (found ${found})`);
    });
  }
});
