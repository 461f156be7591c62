/**
 * Tests for the batch frame: round-trips of every supported type (property-based and by example),
 * the documented losses, frame ownership and transfer, self-containment across threads, and clear
 * errors for corrupted frames.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { decodeBatch, encodeBatch, FORMAT_VERSION, HEADER_BYTES } from "./batch-codec.ts";

function roundTrip(records: readonly unknown[], timestamps: Float64Array | null = null): unknown[] {
  const decoded = decodeBatch(encodeBatch(records, records.length, timestamps));
  return decoded.records;
}

// --- Arbitraries. ---

const fieldName = fc.string().filter((name) => name !== "__proto__");

const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; leaf: unknown }>((tie) => ({
  leaf: fc.oneof(
    fc.string({ unit: "grapheme" }),
    fc.double(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.uint8Array({ maxLength: 20 }),
    fc.date(),
    fc.constantFrom(
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** 32 + 1,
      2 ** 53 - 1,
    ),
  ),
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fieldName, tie("value"), { maxKeys: 5, noNullPrototype: true }),
    fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.array(tie("value"), { maxLength: 3 }).map((items) => new Set(items)),
  ),
})).value;

/** Records that share shapes, as real streams do, so record structures get reused in a batch. */
const event = fc.record(
  {
    id: fc.integer(),
    key: fc.string({ unit: "grapheme", maxLength: 12 }),
    ts: fc.double(),
    value: fc.oneof(fc.double(), fc.bigInt(), fc.constant(undefined)),
    kind: fc.constantFrom("click", "view", "purchase"),
  },
  { noNullPrototype: true },
);

const timestampsFor = (count: number): fc.Arbitrary<Float64Array> =>
  fc.array(fc.double(), { minLength: count, maxLength: count + 3 }).map((ts) => Float64Array.from(ts));

// --- Tests. ---

describe("encodeBatch/decodeBatch round-trip", () => {
  test("arbitrary records and timestamps survive", () => {
    const batch = fc
      .array(fc.oneof(anyValue, event), { maxLength: 40 })
      .chain((records) =>
        fc.tuple(fc.constant(records), fc.option(timestampsFor(records.length), { nil: null })),
      );
    fc.assert(
      fc.property(batch, ([records, timestamps]) => {
        const decoded = decodeBatch(encodeBatch(records, records.length, timestamps));
        assert.deepEqual(decoded.records, records);
        if (timestamps === null) assert.equal(decoded.timestamps, null);
        else assert.deepEqual(decoded.timestamps, timestamps.subarray(0, records.length));
      }),
      { numRuns: 500 },
    );
  });

  test("only the first `count` records and timestamps are sent", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), fc.nat(), (records, n) => {
        const count = records.length === 0 ? 0 : n % (records.length + 1);
        const timestamps = Float64Array.from(records, (_, i) => i * 1.5);
        const decoded = decodeBatch(encodeBatch(records, count, timestamps));
        assert.deepEqual(decoded.records, records.slice(0, count));
        assert.deepEqual(decoded.timestamps, timestamps.slice(0, count));
      }),
    );
  });

  test("each supported type, by example", () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const records: unknown[] = [
      { id: 1, name: "plain", nested: { deeper: { list: [1, "two", [3]] } } },
      [1, [2, [3, []]], {}],
      "ascii",
      "héllo wörld — 日本語 😀",
      "x".repeat(100_000),
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** 32 + 5,
      2 ** 53 - 1,
      -(2 ** 53) + 1,
      1.5e-300,
      Number.MIN_VALUE,
      5n,
      -(2n ** 63n),
      2n ** 64n - 1n,
      2n ** 64n,
      -(2n ** 64n) - 1n,
      2n ** 1000n + 7n,
      -(3n ** 5000n),
      true,
      false,
      null,
      undefined,
      { present: 1, missing: undefined },
      bytes,
      new Uint8Array(0),
      new Float64Array([-0, Number.NaN, 1.25]),
      new Date(0),
      new Date(1_700_000_000_123),
      new Date(-1),
      new Date(8.64e15),
      new Date(Number.NaN),
      new Map<unknown, unknown>([
        ["a", 1],
        [2, { b: [true] }],
        [{ k: 1 }, new Set([1])],
      ]),
      new Set<unknown>(["a", 1, 2n, null, { x: 1 }]),
      { at: new Date(5), tags: new Set(["x"]), index: new Map([["y", 2n]]), blob: bytes },
    ];
    const decoded = roundTrip(records);
    assert.deepEqual(decoded, records);
    assert.equal(typeof decoded[17], "bigint");
    assert.ok(decoded[27] instanceof Uint8Array && decoded[27] !== bytes);
  });

  test("-0 survives wherever it is", () => {
    const records: unknown[] = [
      -0,
      { a: -0, b: 0 },
      [0, -0, [-0]],
      new Map<string, unknown>([["m", -0]]),
      new Set([{ inSet: -0 }]),
      { deep: { deeper: [{ x: -0 }] } },
      { constructor: -0 },
      Object.assign(Object.create(null) as object, { nullProto: -0 }),
    ];
    const decoded = roundTrip(records);
    const expected: unknown[] = [
      -0,
      { a: -0, b: 0 },
      [0, -0, [-0]],
      new Map([["m", -0]]),
      new Set([{ inSet: -0 }]),
      { deep: { deeper: [{ x: -0 }] } },
      { constructor: -0 },
      { nullProto: -0 },
    ];
    assert.deepEqual(decoded, expected);
    // A -0 record does not disturb the shapes and values of its neighbours.
    const mixed = [
      { id: 1, v: 1 },
      { id: 2, v: -0 },
      { id: 3, v: 0 },
    ];
    assert.deepEqual(roundTrip(mixed), mixed);
  });

  test("many shapes in one batch, more than msgpackr keeps record ids for", () => {
    const shapes = Array.from({ length: 300 }, (_, i) => ({ [`field${i}`]: i, common: `v${i}` }));
    const records = [...shapes, ...shapes.slice().reverse(), { last: true }];
    assert.deepEqual(roundTrip(records), records);
  });

  test("empty batches, with and without timestamps", () => {
    assert.deepEqual(decodeBatch(encodeBatch([], 0, null)), { records: [], timestamps: null });
    assert.deepEqual(decodeBatch(encodeBatch([], 0, new Float64Array(0))), {
      records: [],
      timestamps: new Float64Array(0),
    });
  });

  test("documented losses: lone surrogates, __proto__ fields, class instances, Buffers", () => {
    const [lone, longLone] = roundTrip(["a\ud800b", `${"x".repeat(70)}\udc00`]) as string[];
    assert.ok(lone?.isWellFormed() && lone.startsWith("a") && lone.endsWith("b") && lone.includes("\ufffd"));
    assert.ok(longLone?.isWellFormed() && longLone.endsWith("\ufffd"));

    const withProto = JSON.parse('{"__proto__": 1, "a": 2}') as unknown;
    assert.deepEqual(roundTrip([withProto]), [{ __proto_: 1, a: 2 }]);

    class Point {
      x = 1;
      y = -0;
    }
    const [point] = roundTrip([new Point()]);
    assert.equal(Object.getPrototypeOf(point), Object.prototype);
    assert.deepEqual(point, { x: 1, y: 0 });

    const [buffer] = roundTrip([Buffer.from([1, 2])]);
    assert.deepEqual(buffer, new Uint8Array([1, 2]));
  });

  test("invalid arguments are RangeErrors", () => {
    assert.throws(
      () => encodeBatch([1, 2], 3, null),
      /count must be an integer in \[0, records.length = 2\], got 3/,
    );
    assert.throws(() => encodeBatch([1, 2], -1, null), RangeError);
    assert.throws(() => encodeBatch([1, 2], 1.5, null), RangeError);
    assert.throws(
      () => encodeBatch([1, 2], 2, new Float64Array(1)),
      /timestamps has 1 entries, fewer than count = 2/,
    );
  });

  test("cyclic records fail with a message instead of a stack overflow", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.throws(() => encodeBatch([cyclic], 1, null), /nested more than 1000 levels deep/);
  });
});

describe("frame ownership", () => {
  test("the frame owns its whole ArrayBuffer, and batches never share one", () => {
    const a = encodeBatch([{ id: 1 }], 1, null);
    const b = encodeBatch([{ id: 2 }], 1, new Float64Array([7]));
    for (const frame of [a, b]) {
      assert.equal(frame.byteOffset, 0);
      assert.equal(frame.byteLength, frame.buffer.byteLength);
    }
    assert.notEqual(a.buffer, b.buffer);
    assert.deepEqual(decodeBatch(a).records, [{ id: 1 }]);
  });

  test("a transferred frame decodes, and the sender's copy is detached", () => {
    const records = [{ id: 1, key: "k", tags: new Set(["a"]) }];
    const frame = encodeBatch(records, 1, new Float64Array([42]));
    const received = structuredClone(frame, { transfer: [frame.buffer] });
    assert.equal(frame.byteLength, 0);
    assert.deepEqual(decodeBatch(received), { records, timestamps: new Float64Array([42]) });
  });

  test("decoded values do not alias the frame, so it can be reused", () => {
    const frame = encodeBatch([{ bytes: new Uint8Array([1, 2, 3]) }], 1, new Float64Array([1]));
    const decoded = decodeBatch(frame);
    frame.fill(0);
    assert.deepEqual(decoded, {
      records: [{ bytes: new Uint8Array([1, 2, 3]) }],
      timestamps: new Float64Array([1]),
    });
  });

  test("a frame at an unaligned offset of a larger buffer decodes", () => {
    const frame = encodeBatch(["x", 1n], 2, new Float64Array([1.5, -2]));
    const host = new Uint8Array(frame.length + 3);
    host.set(frame, 3);
    assert.deepEqual(decodeBatch(host.subarray(3)), {
      records: ["x", 1n],
      timestamps: new Float64Array([1.5, -2]),
    });
  });

  test("frames are self-contained: decoded on another thread, out of order", async () => {
    const batches: unknown[][] = [
      [{ id: 1, key: "a" }, { id: 2, key: "b" }, new Map([["m", -0]])],
      [{ key: "c", id: 3 }, { other: 2n ** 80n }, new Date(9)],
      [{ id: 4, key: "d" }, [undefined, null]],
    ];
    const timestamps = batches.map((records, i) => Float64Array.from(records, (_, j) => i * 100 + j));
    const frames = batches.map((records, i) => encodeBatch(records, records.length, timestamps[i] ?? null));
    const codecUrl = new URL("./batch-codec.ts", import.meta.url).href;
    const source = `
      import { parentPort, workerData } from "node:worker_threads";
      const { decodeBatch, encodeBatch } = await import(workerData);
      parentPort.on("message", (frame) => {
        const { records, timestamps } = decodeBatch(frame);
        const echo = encodeBatch(records, records.length, timestamps);
        parentPort.postMessage({ records, echo }, [echo.buffer]);
      });`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
      workerData: codecUrl,
    });
    try {
      for (const i of [2, 0, 1]) {
        const frame = frames[i] as Uint8Array<ArrayBuffer>;
        const reply = new Promise<{ records: unknown[]; echo: Uint8Array }>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
        });
        worker.postMessage(frame, [frame.buffer]);
        const { records, echo } = await reply;
        assert.deepEqual(records, batches[i]);
        assert.deepEqual(decodeBatch(echo), { records: batches[i], timestamps: timestamps[i] });
      }
    } finally {
      await worker.terminate();
    }
  });
});

describe("corrupted frames", () => {
  const records = [{ id: 1, key: "a" }, { id: 2, key: "b" }, "tail"];
  const good = (): Uint8Array => encodeBatch(records, records.length, new Float64Array([1, 2, 3]));

  test("an unknown version is named", () => {
    const frame = good();
    frame[0] = 2;
    assert.throws(() => decodeBatch(frame), {
      message: `Unsupported batch frame version 2 (this runtime reads version ${FORMAT_VERSION})`,
    });
  });

  test("truncation anywhere reports expected and actual lengths", () => {
    const frame = good();
    assert.throws(() => decodeBatch(frame.subarray(0, 10)), /10 bytes is shorter than the 16-byte header/);
    for (const cut of [HEADER_BYTES, HEADER_BYTES + 5, frame.length - 1]) {
      assert.throws(
        () => decodeBatch(frame.subarray(0, cut)),
        new RegExp(`so ${frame.length} bytes, but the frame has ${cut} bytes \\(truncated\\?\\)`),
      );
    }
  });

  test("trailing bytes are refused", () => {
    const frame = good();
    const longer = new Uint8Array(frame.length + 1);
    longer.set(frame);
    assert.throws(
      () => decodeBatch(longer),
      new RegExp(`so ${frame.length} bytes, but the frame has ${longer.length}`),
    );
  });

  test("unknown flags and reserved bytes are refused", () => {
    const flags = good();
    flags[1] = 0b11;
    assert.throws(() => decodeBatch(flags), /unknown flags 0x3/);
    const reserved = good();
    reserved[13] = 1;
    assert.throws(() => decodeBatch(reserved), /non-zero reserved header bytes/);
  });

  test("a count that disagrees with the payload is refused", () => {
    // No timestamps, so changing the count does not move the payload.
    const frame = encodeBatch(records, records.length, null);
    frame[4] = 2;
    assert.throws(() => decodeBatch(frame), /header announces 2 records, payload holds an array of 3/);
  });

  test("a damaged payload is refused with msgpackr's reason", () => {
    const frame = encodeBatch(records, records.length, null);
    // Replace the payload with a complete value followed by junk, then with a cut-off string.
    const payload = new Uint8Array([0x93, 0x01, 0x02, 0x03, 0xc1, 0xc1]);
    const tampered = new Uint8Array(HEADER_BYTES + payload.length);
    tampered.set(frame.subarray(0, HEADER_BYTES));
    tampered[8] = payload.length;
    tampered.set(payload, HEADER_BYTES);
    assert.throws(() => decodeBatch(tampered), /the 6-byte record payload does not decode: /);
    const cutString = new Uint8Array([0x91, 0xa5, 0x61]);
    tampered.fill(0, HEADER_BYTES);
    tampered[8] = cutString.length;
    tampered.set(cutString, HEADER_BYTES);
    assert.throws(
      () => decodeBatch(tampered.subarray(0, HEADER_BYTES + cutString.length)),
      /does not decode/,
    );
  });

  test("random damage decodes or fails with a frame error, never a raw one", () => {
    const frame = good();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: frame.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const damaged = frame.slice();
          damaged[at] = (damaged[at] as number) ^ xor;
          try {
            decodeBatch(damaged);
          } catch (error) {
            assert.ok(error instanceof Error && /batch frame/.test(error.message), String(error));
          }
        },
      ),
    );
  });
});
