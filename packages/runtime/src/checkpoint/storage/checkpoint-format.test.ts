import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  CHECKPOINT_FILE_HEADER_BYTES,
  CheckpointFormatError,
  type CheckpointFormatProblem,
  decodeCheckpointFile,
  encodeCheckpointFile,
} from "./checkpoint-format.ts";

const text = (value: string) => new TextEncoder().encode(value);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** Asserts that decoding fails with `problem`, and that the message names the object. */
function assertRejected(bytes: Uint8Array, problem: CheckpointFormatProblem, detail?: RegExp): void {
  assert.throws(
    () => decodeCheckpointFile(bytes, "chk-7/data/op"),
    (error: unknown) => {
      assert.ok(error instanceof CheckpointFormatError, String(error));
      assert.equal(error.problem, problem, error.message);
      assert.equal(error.where, "chk-7/data/op");
      assert.match(error.message, /^checkpoint file "chk-7\/data\/op": /);
      if (detail !== undefined) assert.match(error.message, detail);
      return true;
    },
  );
}

test("version 1 layout is pinned by a golden file", () => {
  // Regenerate only together with a version bump; old versions must keep decoding.
  const golden =
    "5745495243 4b5054 00000001 0000000000000005" +
    " 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 68656c6c6f";
  const encoded = encodeCheckpointFile(text("hello"));
  assert.equal(hex(encoded), golden.replaceAll(" ", ""));
  assert.deepEqual(
    decodeCheckpointFile(Buffer.from(golden.replaceAll(" ", ""), "hex"), "golden").payload,
    text("hello"),
  );
});

test("any payload round-trips, also from a view into a larger buffer", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(16), (payload, offset) => {
      const encoded = encodeCheckpointFile(payload);
      assert.equal(encoded.byteLength, CHECKPOINT_FILE_HEADER_BYTES + payload.byteLength);
      const padded = new Uint8Array(offset + encoded.byteLength + 3);
      padded.set(encoded, offset);
      const decoded = decodeCheckpointFile(padded.subarray(offset, offset + encoded.byteLength), "k");
      assert.deepEqual(decoded.payload, payload);
      assert.match(decoded.sha256, /^[0-9a-f]{64}$/);
    }),
  );
});

test("every single flipped bit anywhere in a file is detected", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      (payload, at, bit) => {
        const encoded = encodeCheckpointFile(payload);
        const position = at % encoded.byteLength;
        encoded[position]! ^= 1 << bit;
        assert.throws(() => decodeCheckpointFile(encoded, "k"), CheckpointFormatError);
      },
    ),
  );
});

test("a flipped payload byte is a checksum mismatch that shows both checksums", () => {
  const encoded = encodeCheckpointFile(text("some state"));
  encoded[CHECKPOINT_FILE_HEADER_BYTES + 3]! ^= 0xff;
  assertRejected(
    encoded,
    "checksum-mismatch",
    /checksum mismatch: header says SHA-256 [0-9a-f]{64}, .* hashes to [0-9a-f]{64}/,
  );
});

test("every truncation is reported as truncated", () => {
  const encoded = encodeCheckpointFile(text("twelve bytes"));
  for (let length = 0; length < encoded.byteLength; length++) {
    assertRejected(encoded.subarray(0, length), "truncated");
  }
  assertRejected(
    encoded.subarray(0, 60),
    "truncated",
    /header declares a 12-byte payload, only 8 bytes follow/,
  );
  assertRejected(new Uint8Array(0), "truncated", /0 bytes, shorter than the 52-byte header/);
});

test("bytes after the payload are rejected", () => {
  const encoded = encodeCheckpointFile(text("x"));
  const longer = new Uint8Array(encoded.byteLength + 2);
  longer.set(encoded);
  assertRejected(longer, "trailing-bytes", /2 unexpected bytes after the declared 1-byte payload/);
});

test("a file that is not a checkpoint file says so", () => {
  assertRejected(
    text('{"not":"a checkpoint"}'),
    "bad-magic",
    /not a Weir checkpoint file \(starts with 7b226e6f74223a22\)/,
  );
  assertRejected(text("W"), "truncated");
  assertRejected(text("X"), "bad-magic");
});

test("an unknown format version is named, before anything else in the header is trusted", () => {
  const encoded = encodeCheckpointFile(text("from the future"));
  new DataView(encoded.buffer).setUint32(8, 2);
  assertRejected(encoded, "unsupported-version", /format version 2 is not supported \(this build reads 1\)/);
  // A future version may have a shorter header; the version alone must be enough to reject it.
  assertRejected(encoded.subarray(0, 12), "unsupported-version");
});
