import assert from "node:assert/strict";
import { test } from "node:test";
import { type Watermark, type WatermarkDeclaration, WatermarkDeclarations } from "@weir/api";
import fc from "fast-check";
import { WatermarkCombination } from "./watermark-combination.ts";
import { EVENT_TIME_DECLARATION, IDLE_STATUS_DECLARATION } from "./watermark-registry.ts";

const MIN_ALL = WatermarkDeclarations.numeric("min-all", { combine: "MIN", waitForAllChannels: true });
const MAX_ANY = WatermarkDeclarations.numeric("max-any", { combine: "MAX" });
const AND = WatermarkDeclarations.boolean("and", { combine: "AND" });
const OR = WatermarkDeclarations.boolean("or", { combine: "OR" });

function registry(...declarations: WatermarkDeclaration[]): Map<string, WatermarkDeclaration> {
  return new Map(declarations.map((d) => [d.identifier, d]));
}

const values = (changes: Watermark[]) => changes.map((w) => w.value);

test("MIN with waitForAllChannels emits only once every channel reported, and only on change", () => {
  const c = new WatermarkCombination(registry(MIN_ALL), 2);
  assert.deepEqual(values(c.update(0, MIN_ALL.newWatermark(5))), []);
  assert.deepEqual(values(c.update(1, MIN_ALL.newWatermark(3))), [3]);
  assert.deepEqual(values(c.update(0, MIN_ALL.newWatermark(9))), []);
  assert.deepEqual(values(c.update(1, MIN_ALL.newWatermark(7))), [7]);
  // The channel holding it back ends: the other one alone decides.
  assert.deepEqual(values(c.endInput(1)), [9]);
});

test("MAX without waiting combines over the channels that reported so far", () => {
  const c = new WatermarkCombination(registry(MAX_ANY), 3);
  assert.deepEqual(values(c.update(2, MAX_ANY.newWatermark(4))), [4]);
  assert.deepEqual(values(c.update(0, MAX_ANY.newWatermark(2))), []);
  assert.deepEqual(values(c.update(1, MAX_ANY.newWatermark(8))), [8]);
});

test("boolean AND and OR", () => {
  const and = new WatermarkCombination(registry(AND), 2);
  assert.deepEqual(values(and.update(0, AND.newWatermark(true))), [true]);
  assert.deepEqual(values(and.update(1, AND.newWatermark(false))), [false]);
  assert.deepEqual(values(and.update(1, AND.newWatermark(true))), [true]);
  const or = new WatermarkCombination(registry(OR), 2);
  assert.deepEqual(values(or.update(0, OR.newWatermark(false))), [false]);
  assert.deepEqual(values(or.update(1, OR.newWatermark(true))), [true]);
});

test("an idle channel does not hold back event time, and holds it again when it resumes", () => {
  const c = new WatermarkCombination(registry(EVENT_TIME_DECLARATION, IDLE_STATUS_DECLARATION), 2);
  assert.deepEqual(values(c.update(0, EVENT_TIME_DECLARATION.newWatermark(100))), []);
  // Channel 1 never sent event time, but says it is idle: channel 0 alone decides.
  assert.deepEqual(c.update(1, IDLE_STATUS_DECLARATION.newWatermark(true)), [
    { kind: "boolean", identifier: IDLE_STATUS_DECLARATION.identifier, value: false },
    { kind: "numeric", identifier: EVENT_TIME_DECLARATION.identifier, value: 100 },
  ]);
  assert.deepEqual(values(c.update(0, EVENT_TIME_DECLARATION.newWatermark(200))), [200]);
  // Channel 1 resumes below the emitted event time: event time does not go back, and channel 1
  // does not count until it catches up, so channel 0 alone still moves it.
  assert.deepEqual(values(c.update(1, EVENT_TIME_DECLARATION.newWatermark(150))), []);
  // The combined idle status was already false (channel 0 is active): nothing changes.
  assert.deepEqual(values(c.update(1, IDLE_STATUS_DECLARATION.newWatermark(false))), []);
  assert.deepEqual(values(c.update(0, EVENT_TIME_DECLARATION.newWatermark(260))), [260]);
  assert.deepEqual(values(c.update(1, EVENT_TIME_DECLARATION.newWatermark(250))), []);
  // Caught up: channel 1 counts again and now holds event time back.
  assert.deepEqual(values(c.update(1, EVENT_TIME_DECLARATION.newWatermark(270))), []);
  assert.deepEqual(values(c.update(0, EVENT_TIME_DECLARATION.newWatermark(300))), [270]);
});

test("an undeclared watermark is rejected with its identifier", () => {
  const c = new WatermarkCombination(registry(), 1);
  assert.throws(
    () => c.update(0, MIN_ALL.newWatermark(1)),
    /received watermark "min-all", which no function or source declares/,
  );
});

test("property: MIN combination equals the min over the latest value of every channel", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 0, max: 1000 })), { maxLength: 60 }),
      (channels, updates) => {
        const c = new WatermarkCombination(registry(MIN_ALL), channels);
        const latest = new Map<number, number>();
        let emitted: number | undefined;
        for (const [channel, value] of updates) {
          if (channel >= channels) continue;
          latest.set(channel, value);
          for (const change of c.update(channel, MIN_ALL.newWatermark(value)))
            emitted = change.value as number;
          const expected = latest.size === channels ? Math.min(...latest.values()) : undefined;
          assert.equal(emitted, expected);
        }
      },
    ),
  );
});

test("when every input is idle, event time moves to the largest watermark any of them reached", () => {
  const c = new WatermarkCombination(registry(EVENT_TIME_DECLARATION, IDLE_STATUS_DECLARATION), 2);
  assert.deepEqual(values(c.update(0, EVENT_TIME_DECLARATION.newWatermark(998))), []);
  // Channel 0 goes idle first: channel 1 (active, silent) still holds event time back; the
  // combined idle status (false: not all idle) is reported for the first time.
  assert.deepEqual(values(c.update(0, IDLE_STATUS_DECLARATION.newWatermark(true))), [false]);
  // Now both are idle: 998 is released.
  const changes = c.update(1, IDLE_STATUS_DECLARATION.newWatermark(true));
  assert.deepEqual(
    changes.map((w) => [w.identifier, w.value]),
    [
      [IDLE_STATUS_DECLARATION.identifier, true],
      [EVENT_TIME_DECLARATION.identifier, 998],
    ],
  );
});
