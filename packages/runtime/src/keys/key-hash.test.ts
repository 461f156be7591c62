/**
 * Tests for key hashing, key groups, canonical key ids and key validation. The hash is checked
 * against an independent byte-oriented MurmurHash3 over the documented canonical encoding, and
 * pinned by golden values, because savepoints depend on it never changing.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KeyValue } from "@weir/api";
import fc from "fast-check";
import {
  ARRAY_SEED,
  assertParallelism,
  BIGINT_SEED,
  BOOLEAN_SEED,
  canonicalKeyId,
  hashKey,
  keyGroupForKey,
  keyGroupRangeForOperator,
  MAX_PARALLELISM_LIMIT,
  NULL_SEED,
  NUMBER_SEED,
  OBJECT_SEED,
  operatorIndexForKeyGroup,
  STRING_SEED,
  validateKey,
} from "./key-hash.ts";

// --- Reference implementation, written from the published algorithm, byte by byte. ---

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function murmur3Reference(bytes: Uint8Array, seed: number): number {
  const byteAt = (i: number): number => bytes[i] ?? 0;
  let h = seed | 0;
  const blocks = bytes.length >>> 2;
  for (let b = 0; b < blocks; b++) {
    const i = b * 4;
    let k = byteAt(i) | (byteAt(i + 1) << 8) | (byteAt(i + 2) << 16) | (byteAt(i + 3) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = rotl32(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl32(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const remaining = bytes.length & 3;
  let k = 0;
  if (remaining >= 3) k ^= byteAt(tail + 2) << 16;
  if (remaining >= 2) k ^= byteAt(tail + 1) << 8;
  if (remaining >= 1) {
    k ^= byteAt(tail);
    k = Math.imul(k, 0xcc9e2d51);
    k = rotl32(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function words(values: readonly number[]): Uint8Array {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => {
    bytes.writeUInt32LE(v >>> 0, i * 4);
  });
  return bytes;
}

/** The canonical encoding spelled out independently of the implementation. */
function referenceHash(key: KeyValue): number {
  switch (typeof key) {
    case "string":
      return murmur3Reference(Buffer.from(key, "utf16le"), STRING_SEED);
    case "number": {
      const bytes = Buffer.alloc(8);
      if (Number.isNaN(key)) bytes.writeUInt32LE(0x7ff80000, 4);
      else bytes.writeDoubleLE(Object.is(key, -0) ? 0 : key);
      return murmur3Reference(bytes, NUMBER_SEED);
    }
    case "bigint": {
      const limbs = [key < 0n ? 1 : 0];
      for (let m = key < 0n ? -key : key; m > 0n; m >>= 32n) limbs.push(Number(m & 0xffffffffn));
      return murmur3Reference(words(limbs), BIGINT_SEED);
    }
    case "boolean":
      return murmur3Reference(words([key ? 1 : 0]), BOOLEAN_SEED);
    default:
      break;
  }
  if (key === null) return murmur3Reference(new Uint8Array(0), NULL_SEED);
  if (Array.isArray(key)) {
    return murmur3Reference(words((key as readonly KeyValue[]).map(referenceHash)), ARRAY_SEED);
  }
  const record = key as { readonly [field: string]: KeyValue };
  const pairs = Object.keys(record)
    .sort()
    .flatMap((f) => [referenceHash(f), referenceHash(record[f] as KeyValue)]);
  return murmur3Reference(words(pairs), OBJECT_SEED);
}

// --- Arbitraries. ---

const anyKey: fc.Arbitrary<KeyValue> = fc.letrec<{ key: KeyValue; primitive: KeyValue }>((tie) => ({
  primitive: fc.oneof(
    fc.string({ unit: "binary" }),
    fc.double(),
    fc.integer(),
    fc.bigInt(),
    fc.boolean(),
    fc.constant(null),
  ),
  key: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("primitive"),
    fc.array(tie("key"), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie("key"), { maxKeys: 4 }),
  ),
})).key;

/** A tiny domain, so that random pairs are often equal or nearly equal. */
const smallKey: fc.Arbitrary<KeyValue> = fc.letrec<{ key: KeyValue }>((tie) => ({
  key: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<KeyValue>(
      0,
      -0,
      1,
      Number.NaN,
      1n,
      0n,
      -1n,
      "1",
      "",
      "a",
      "[n:1]",
      "\u0000",
      "\u0000[n:1]",
    ),
    fc.constantFrom<KeyValue>(true, false, null),
    fc.array(tie("key"), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom("a", "b", ""), tie("key"), { maxKeys: 2 }),
  ),
})).key;

/** Same key by the KeyValue contract, written directly from that contract. */
function sameKey(a: KeyValue, b: KeyValue): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a !== "object" || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const x = a as readonly KeyValue[];
    const y = b as readonly KeyValue[];
    return x.length === y.length && x.every((v, i) => sameKey(v, y[i] as KeyValue));
  }
  const x = a as { readonly [f: string]: KeyValue };
  const y = b as { readonly [f: string]: KeyValue };
  const fx = Object.keys(x).sort();
  const fy = Object.keys(y).sort();
  return (
    fx.length === fy.length && fx.every((f, i) => f === fy[i] && sameKey(x[f] as KeyValue, y[f] as KeyValue))
  );
}

/** An equal key built differently: object fields in reverse order, 0 turned into -0. */
function variant(key: KeyValue): KeyValue {
  if (key === 0) return -0;
  if (typeof key !== "object" || key === null) return key;
  if (Array.isArray(key)) return (key as readonly KeyValue[]).map(variant);
  const record = key as { readonly [f: string]: KeyValue };
  const out: { [f: string]: KeyValue } = {};
  // defineProperty, not assignment: a field named "__proto__" must stay a field.
  for (const f of Object.keys(record).reverse()) {
    Object.defineProperty(out, f, {
      value: variant(record[f] as KeyValue),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const sameMapKey = (a: unknown, b: unknown): boolean => [a].includes(b); // SameValueZero, as Map uses

// --- Tests. ---

describe("murmur3 reference", () => {
  test("matches published MurmurHash3 x86_32 vectors", () => {
    const ascii = (s: string): Uint8Array => Buffer.from(s, "latin1");
    assert.equal(murmur3Reference(ascii(""), 0), 0);
    assert.equal(murmur3Reference(ascii(""), 1), 0x514e28b7);
    assert.equal(murmur3Reference(ascii(""), 0xffffffff), 0x81f16f39);
    assert.equal(murmur3Reference(ascii("hello"), 0), 0x248bfa47);
    assert.equal(murmur3Reference(ascii("Hello, world!"), 1234), 0xfaf6cdb3);
    assert.equal(murmur3Reference(ascii("test"), 0), 0xba6bd213);
    assert.equal(
      murmur3Reference(ascii("The quick brown fox jumps over the lazy dog"), 0x9747b28c),
      0x2fa826cd,
    );
    assert.equal(murmur3Reference(new Uint8Array([0, 0, 0, 0]), 0), 0x2362f9de);
    assert.equal(murmur3Reference(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0x5082edee), 0x2362f9de);
  });
});

describe("hashKey", () => {
  test("strings hash as murmur3 over their UTF-16LE bytes with STRING_SEED", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        assert.equal(hashKey(s), murmur3Reference(Buffer.from(s, "utf16le"), STRING_SEED));
      }),
      { numRuns: 2000 },
    );
    // Lone surrogates and odd lengths exercise the tail and the raw code-unit path.
    for (const s of ["", "a", "ab", "abc", "\ud800", "x\udfff", "😀", "héllo wörld"]) {
      assert.equal(hashKey(s), murmur3Reference(Buffer.from(s, "utf16le"), STRING_SEED), JSON.stringify(s));
    }
  });

  test("every key hashes as its documented canonical encoding", () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const h = hashKey(key);
        assert.equal(h, referenceHash(key));
        assert.ok(Number.isInteger(h) && h >= 0 && h <= 0xffffffff);
      }),
      { numRuns: 1000 },
    );
    for (const n of [
      0,
      -0,
      1,
      -1,
      0.1,
      2 ** 53,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Infinity,
      -Infinity,
      NaN,
    ]) {
      assert.equal(hashKey(n), referenceHash(n), String(n));
    }
    for (const n of [0n, 1n, -1n, 2n ** 32n, 2n ** 32n - 1n, -(2n ** 100n), 3n ** 200n]) {
      assert.equal(hashKey(n), referenceHash(n), String(n));
    }
  });

  test("golden values never change (savepoints depend on them)", () => {
    // Recorded when the encoding was frozen. A failure here means existing savepoints would map
    // keys to different key groups.
    const golden: [KeyValue, number][] = [
      ["", 0x38683cc8],
      ["hello", 0x40d0a52e],
      ["user-42", 0x3e8a2fab],
      [0, 0x5bfb71fb],
      [1, 0x55e5d8a3],
      [1.5, 0xfca6cfab],
      [NaN, 0x5dc0263c],
      [1n, 0x04396019],
      [-(2n ** 70n), 0x87f4ce50],
      [true, 0x280ec788],
      [false, 0x300f4ce4],
      [null, 0x642365cb],
      [["a", 1], 0x6fe5ee10],
      [{ a: 1, b: [true, null] }, 0x5a93897d],
    ];
    const actual = golden.map(([key]) => [key, hashKey(key)]);
    assert.deepEqual(actual, golden);
  });

  test("keys that are the same hash the same, and easy near-misses differ", () => {
    assert.equal(hashKey(-0), hashKey(0));
    assert.equal(hashKey(Number.NaN), hashKey(0 / 0));
    assert.equal(hashKey({ a: 1, b: 2 }), hashKey({ b: 2, a: 1 }));
    assert.equal(hashKey([0, { x: -0 }]), hashKey([-0, { x: 0 }]));
    const distinct: KeyValue[] = [
      1,
      1n,
      "1",
      true,
      null,
      "",
      0,
      [],
      {},
      [1, 2],
      [2, 1],
      [1],
      { 0: 1 },
      ["a", 1],
      { a: 1 },
      [[]],
      [{}],
      [null],
      { "": null },
      "a",
      ["a"],
      [["a"]],
    ];
    const hashes = new Set(distinct.map(hashKey));
    assert.equal(hashes.size, distinct.length);
  });

  test("objects with many fields (engine sort path) follow the same encoding", () => {
    const fields = Array.from({ length: 40 }, (_, i) => [`f${(i * 7) % 40}`, i] as const);
    const forward = Object.fromEntries(fields);
    const backward = Object.fromEntries(fields.slice().reverse());
    assert.equal(hashKey(forward), referenceHash(forward));
    assert.equal(hashKey(backward), hashKey(forward));
    assert.equal(canonicalKeyId(backward), canonicalKeyId(forward));
  });

  test("equal keys built differently hash the same", () => {
    const proto = { ["__proto__"]: "" } as KeyValue;
    assert.equal(hashKey(variant(proto)), hashKey(proto), "a field named __proto__ is an ordinary field");
    assert.notEqual(hashKey(proto), hashKey({}));
    fc.assert(
      fc.property(anyKey, (key) => {
        assert.equal(hashKey(variant(key)), hashKey(key));
      }),
    );
  });

  test("refuses values that are not keys instead of hashing their visible fields", () => {
    for (const bad of [new Date(0), new Map(), new (class Point {})(), undefined, () => 1, Symbol("s")]) {
      assert.throws(() => hashKey(bad as unknown as KeyValue), TypeError);
    }
    assert.throws(() => hashKey([new Date(0)] as unknown as KeyValue), /Cannot hash a Date as a key/);
    // Null-prototype records are plain data.
    assert.equal(hashKey(Object.assign(Object.create(null), { a: 1 })), hashKey({ a: 1 }));
  });
});

describe("key groups", () => {
  const parallelismPair = fc
    .integer({ min: 1, max: MAX_PARALLELISM_LIMIT })
    .chain((max) => fc.tuple(fc.constant(max), fc.integer({ min: 1, max })));

  test("every key lands in a key group in range", () => {
    fc.assert(
      fc.property(anyKey, fc.integer({ min: 1, max: MAX_PARALLELISM_LIMIT }), (key, max) => {
        const group = keyGroupForKey(key, max);
        assert.ok(Number.isInteger(group) && group >= 0 && group < max);
      }),
    );
  });

  test("operator ranges partition [0, maxParallelism) contiguously and agree with operatorIndexForKeyGroup", () => {
    const check = (max: number, parallelism: number): void => {
      let next = 0;
      for (let op = 0; op < parallelism; op++) {
        const { start, end } = keyGroupRangeForOperator(max, parallelism, op);
        assert.equal(start, next, `max=${max} p=${parallelism} op=${op}`);
        assert.ok(end >= start, `empty range for max=${max} p=${parallelism} op=${op}`);
        for (let group = start; group <= end; group++) {
          if (operatorIndexForKeyGroup(max, parallelism, group) !== op) {
            assert.fail(
              `group ${group} (max=${max} p=${parallelism}) is in op ${op}'s range but not assigned to it`,
            );
          }
        }
        next = end + 1;
      }
      assert.equal(next, max);
    };
    fc.assert(
      fc.property(parallelismPair, ([max, p]) => check(max, p)),
      { numRuns: 200 },
    );
    for (const [max, p] of [
      [1, 1],
      [128, 1],
      [128, 3],
      [128, 128],
      [32768, 32768],
      [32768, 7],
      [100, 99],
    ] as const) {
      check(max, p);
    }
  });

  test("matches Flink's formulas on a known case", () => {
    // maxParallelism 128, parallelism 3: Flink gives [0,42], [43,85], [86,127].
    assert.deepEqual(keyGroupRangeForOperator(128, 3, 0), { start: 0, end: 42 });
    assert.deepEqual(keyGroupRangeForOperator(128, 3, 1), { start: 43, end: 85 });
    assert.deepEqual(keyGroupRangeForOperator(128, 3, 2), { start: 86, end: 127 });
    assert.equal(operatorIndexForKeyGroup(128, 3, 42), 0);
    assert.equal(operatorIndexForKeyGroup(128, 3, 43), 1);
  });

  test("invalid parallelism is a clear RangeError", () => {
    assert.throws(() => keyGroupRangeForOperator(128, 0, 0), {
      name: "RangeError",
      message: /parallelism must be an integer in \[1, maxParallelism = 128\], got 0/,
    });
    assert.throws(() => keyGroupRangeForOperator(128, 129, 0), /parallelism .* got 129/);
    assert.throws(
      () => keyGroupRangeForOperator(40000, 4, 0),
      /maxParallelism must be an integer in \[1, 32768\]/,
    );
    assert.throws(() => keyGroupRangeForOperator(0, 1, 0), /maxParallelism/);
    assert.throws(() => keyGroupRangeForOperator(128.5, 4, 0), /maxParallelism/);
    assert.throws(
      () => keyGroupRangeForOperator(128, 4, 4),
      /operatorIndex must be an integer in \[0, 4\), got 4/,
    );
    assert.throws(() => keyGroupRangeForOperator(128, 4, -1), /operatorIndex/);
    assert.throws(() => assertParallelism(128, Number.NaN), RangeError);
    assert.doesNotThrow(() => assertParallelism(MAX_PARALLELISM_LIMIT, MAX_PARALLELISM_LIMIT));
  });

  test("100k distinct string keys spread evenly over 128 key groups", () => {
    const groups = 128;
    const keys = 100_000;
    const counts = new Array<number>(groups).fill(0);
    for (let i = 0; i < keys; i++) {
      const g = keyGroupForKey(`user-${i}`, groups);
      counts[g] = (counts[g] ?? 0) + 1;
    }
    const mean = keys / groups;
    for (const [group, count] of counts.entries()) {
      assert.ok(Math.abs(count - mean) <= mean * 0.2, `group ${group} has ${count} keys, mean is ${mean}`);
    }
  });

  test("sequential integer keys spread evenly too", () => {
    const groups = 128;
    const counts = new Array<number>(groups).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const g = keyGroupForKey(i, groups);
      counts[g] = (counts[g] ?? 0) + 1;
    }
    const mean = 100_000 / groups;
    assert.ok(counts.every((c) => Math.abs(c - mean) <= mean * 0.2));
  });
});

describe("canonicalKeyId", () => {
  test("ids are equal exactly when keys are the same key", () => {
    for (const arb of [smallKey, anyKey]) {
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          assert.equal(sameMapKey(canonicalKeyId(a), canonicalKeyId(b)), sameKey(a, b));
        }),
        { numRuns: 3000 },
      );
    }
    fc.assert(
      fc.property(anyKey, (key) => {
        assert.ok(sameMapKey(canonicalKeyId(variant(key)), canonicalKeyId(key)));
      }),
    );
  });

  test("primitives are their own ids, composites are tagged strings", () => {
    assert.equal(canonicalKeyId("user-1"), "user-1");
    assert.equal(canonicalKeyId(42), 42);
    assert.ok(Object.is(canonicalKeyId(-0), 0));
    assert.ok(Number.isNaN(canonicalKeyId(Number.NaN)));
    assert.equal(canonicalKeyId(7n), 7n);
    assert.equal(canonicalKeyId(true), true);
    assert.equal(canonicalKeyId(null), null);
    assert.equal(canonicalKeyId({ b: 2, a: [1, 1n, "x"] }), '\u0000{"a":[n:1,b:1,"x"],"b":n:2}');
    // A user string spelled like a composite id cannot collide with it.
    const composite = canonicalKeyId([1]);
    assert.notEqual(canonicalKeyId(composite as string), composite);
  });

  test("refuses objects that are not plain data", () => {
    assert.throws(
      () => canonicalKeyId({ at: new Date(0) } as unknown as KeyValue),
      /Cannot use a Date as a key/,
    );
  });

  test("works as a Map key", () => {
    const map = new Map<unknown, string>();
    map.set(canonicalKeyId({ x: 1, y: [0, "a"] }), "first");
    map.set(canonicalKeyId(Number.NaN), "nan");
    assert.equal(map.get(canonicalKeyId({ y: [-0, "a"], x: 1 })), "first");
    assert.equal(map.get(canonicalKeyId(0 / 0)), "nan");
  });
});

describe("validateKey", () => {
  test("accepts every KeyValue", () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        validateKey(key, "map-op");
      }),
    );
  });

  test("errors say what was returned and which operator", () => {
    class Point {
      x = 1;
    }
    const sparse = [1];
    sparse[2] = 3;
    const cases: [unknown, RegExp][] = [
      [undefined, /returned undefined/],
      [() => 1, /returned a function/],
      [new Date(0), /returned a Date/],
      [new Map(), /returned a Map/],
      [new Set(), /returned a Set/],
      [new Point(), /returned a Point/],
      [Symbol("k"), /returned a symbol \(Symbol\(k\)\)/],
      [[1, undefined], /returned undefined at key\[1\]/],
      [{ user: { id: new Date(0) } }, /returned a Date at key\.user\.id/],
      [sparse, /returned undefined at key\[1\]/],
    ];
    for (const [value, message] of cases) {
      assert.throws(
        () => validateKey(value, "keyBy(orders)"),
        (error: unknown) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, /keyBy\(orders\)/);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });

  test("reports cycles instead of overflowing the stack", () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    assert.throws(() => validateKey(cyclic, "op"), /nested more than 64 levels/);
  });
});
