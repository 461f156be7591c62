import assert from "node:assert/strict";
import { posix, resolve, sep } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { compareBlobKeys, InvalidBlobKeyError, validateBlobKey, validateBlobPrefix } from "./blob-key.ts";

test("invalid keys are rejected with an error naming the key and the reason", () => {
  const cases: [string, RegExp][] = [
    ["", /^invalid blob key "": is empty$/],
    ["/etc/passwd", /^invalid blob key "\/etc\/passwd": is absolute/],
    ["a/../../x", /^invalid blob key "a\/..\/..\/x": has a '..' segment/],
    ["..", /'\.\.' segment/],
    ["a//b", /^invalid blob key "a\/\/b": has an empty segment/],
    ["a/", /empty segment/],
    ["a/./b", /has a '\.' segment/],
    ["a\\..\\b", /^invalid blob key "a\\\\..\\\\b": contains a backslash/],
    ["a\u0000b", /^invalid blob key "a\\u0000b": contains a NUL character$/],
    ["C:/x", /Windows drive path/],
    ["c:", /Windows drive path/],
    [".weir-tmp-1", /reserved ".weir-tmp-"/],
    ["x".repeat(256), /segment longer than 255 bytes/],
    [`${"x/".repeat(600)}x`, /longer than 1024 bytes/],
  ];
  for (const [key, message] of cases) {
    assert.throws(
      () => validateBlobKey(key),
      (error: unknown) =>
        error instanceof InvalidBlobKeyError && error.key === key && message.test(error.message),
      JSON.stringify(key),
    );
  }
  assert.throws(() => validateBlobKey(42 as unknown as string), /must be a string, got number/);
});

test("ordinary keys are accepted and split into segments", () => {
  assert.deepEqual(validateBlobKey("chk-1/data/op-1/subtask-0"), ["chk-1", "data", "op-1", "subtask-0"]);
  assert.deepEqual(validateBlobKey("_metadata"), ["_metadata"]);
  assert.deepEqual(validateBlobKey("a..b/.hidden/x:y/…"), ["a..b", ".hidden", "x:y", "…"]);
});

test("no string that passes validation leaves the root or names anything but itself", () => {
  const root = resolve("/srv/weir-root");
  const segment = fc.oneof(
    fc.constantFrom(".", "..", "", "a", "b.c", "\\", "C:", "..\\..", "\u0000", " "),
    fc.string({ unit: "grapheme", maxLength: 4 }),
  );
  fc.assert(
    fc.property(
      fc.array(segment, { minLength: 1, maxLength: 5 }),
      fc.string({ maxLength: 3 }),
      (parts, extra) => {
        const key = parts.join("/") + extra;
        let segments: string[];
        try {
          segments = validateBlobKey(key);
        } catch (error) {
          assert.ok(error instanceof InvalidBlobKeyError);
          return;
        }
        // Normalized already (so "a/./b" and "a/b" can never be two names of one file) and inside the root.
        assert.equal(posix.normalize(key), key);
        assert.ok(resolve(root, ...segments).startsWith(root + sep));
      },
    ),
  );
});

test("prefixes may end in '/' or a partial segment, and are checked like keys otherwise", () => {
  assert.deepEqual(validateBlobPrefix(""), [""]);
  assert.deepEqual(validateBlobPrefix("chk-1/"), ["chk-1", ""]);
  assert.deepEqual(validateBlobPrefix("chk-1"), ["chk-1"]);
  assert.deepEqual(validateBlobPrefix("chk-1/da"), ["chk-1", "da"]);
  for (const bad of ["/", "../", "a//", "a/../", "/abs", "a\\"]) {
    assert.throws(() => validateBlobPrefix(bad), InvalidBlobKeyError, JSON.stringify(bad));
  }
});

test("keys sort by UTF-8 bytes, which is S3's order", () => {
  // Characters on both sides of the surrogate range, where UTF-16 order and UTF-8 order disagree.
  const keyChar = fc.constantFrom(
    "a",
    "z",
    "é",
    "\u{d7ff}",
    "\u{e000}",
    "\u{fffd}",
    "😀",
    "\u{10ffff}",
    "\u{1f600}",
  );
  fc.assert(
    fc.property(fc.string({ unit: keyChar }), fc.string({ unit: keyChar }), (a, b) => {
      const expected = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.equal(Math.sign(compareBlobKeys(a, b)), expected);
    }),
  );
});
