import assert from "node:assert/strict";
import { test } from "node:test";
import { WatermarkAlignment } from "./watermark-alignment.ts";

test("the group allows min + maxDrift and announces only changes", () => {
  const a = new WatermarkAlignment();
  assert.equal(a.report("g", 100, "s0", 1_000), 1_100);
  assert.equal(a.report("g", 100, "s1", 500), 600);
  assert.equal(a.report("g", 100, "s0", 2_000), undefined, "the slow member still decides");
  assert.equal(a.report("g", 100, "s1", 900), 1_000);
});

test("members without a watermark yet, and finished members, do not hold the group back", () => {
  const a = new WatermarkAlignment();
  assert.equal(a.report("g", 50, "s0", Number.NEGATIVE_INFINITY), Number.POSITIVE_INFINITY);
  assert.equal(a.report("g", 50, "s1", 200), 250);
  assert.equal(a.report("g", 50, "s2", 100), 150);
  assert.equal(a.report("g", 50, "s2", Number.POSITIVE_INFINITY), 250);
  assert.equal(a.report("g", 50, "s1", Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
});

test("groups are independent, and the strictest drift of a group wins", () => {
  const a = new WatermarkAlignment();
  assert.equal(a.report("a", 100, "x", 0), 100);
  assert.equal(a.report("b", 10, "y", 0), 10);
  assert.equal(a.report("a", 20, "z", 50), 20);
});
