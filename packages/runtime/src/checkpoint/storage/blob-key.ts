/**
 * Blob keys: the `/`-separated relative paths that name objects in a {@link BlobStore}.
 *
 * Invariant: a key that passes {@link validateBlobKey} names a location strictly inside the store
 * root on every backend (no `..`, no absolute or drive paths, no empty or `.` segments, no
 * backslashes or NUL), and means the same object on a local directory and in S3. Every store
 * validates before touching storage, so a hostile or buggy name can never reach outside the root
 * (Flink's CVE-2020-17518/17519 were exactly such path traversals).
 * @module
 */

/** Thrown for a key or prefix that is not a valid blob key; names the offending key. */
export class InvalidBlobKeyError extends Error {
  override name = "InvalidBlobKeyError";
  readonly key: unknown;

  constructor(key: unknown, problem: string) {
    super(`invalid blob key ${typeof key === "string" ? JSON.stringify(key) : String(key)}: ${problem}`);
    this.key = key;
  }
}

/**
 * Segments starting with this are reserved for a store's in-progress writes (the local store's
 * temp files), so that no valid key can collide with one and `list` can leave them out.
 */
export const RESERVED_SEGMENT_PREFIX = ".weir-tmp-";

/** The usual file-name limit (ext4, APFS, NTFS); keeping it everywhere keeps the stores alike. */
const MAX_SEGMENT_BYTES = 255;
/** S3's key limit; the S3 store also checks its own prefix plus the key against it. */
export const MAX_KEY_BYTES = 1024;

const encoder = new TextEncoder();

/** Checks a key and returns its segments; throws {@link InvalidBlobKeyError} naming the key. */
export function validateBlobKey(key: string): string[] {
  if (typeof key !== "string") throw new InvalidBlobKeyError(key, `must be a string, got ${typeof key}`);
  if (key === "") throw new InvalidBlobKeyError(key, "is empty");
  return checkSegments(key, key.split("/"));
}

/**
 * Checks a listing or deletion prefix: `""` (everything), a key followed by `/` (everything under
 * it), or a key whose last segment is cut short (`chk-1` matches `chk-1/x` and `chk-10/x`, as in S3).
 * Returns the segments of the prefix, the last one possibly partial and empty.
 */
export function validateBlobPrefix(prefix: string): string[] {
  if (typeof prefix !== "string") {
    throw new InvalidBlobKeyError(prefix, `prefix must be a string, got ${typeof prefix}`);
  }
  if (prefix === "") return [""];
  const segments = prefix.split("/");
  if (segments.at(-1) === "") {
    checkSegments(prefix, segments.slice(0, -1));
    return segments;
  }
  return checkSegments(prefix, segments);
}

function checkSegments(key: string, segments: string[]): string[] {
  if (key.includes("\u0000")) throw new InvalidBlobKeyError(key, "contains a NUL character");
  if (key.includes("\\")) {
    throw new InvalidBlobKeyError(key, "contains a backslash; keys use '/' as their only separator");
  }
  if (key.startsWith("/")) {
    throw new InvalidBlobKeyError(key, "is absolute (starts with '/'); keys are relative to the store root");
  }
  if (/^[A-Za-z]:/.test(key)) throw new InvalidBlobKeyError(key, "looks like a Windows drive path");
  if (encoder.encode(key).length > MAX_KEY_BYTES) {
    throw new InvalidBlobKeyError(key, `is longer than ${MAX_KEY_BYTES} bytes in UTF-8`);
  }
  for (const segment of segments) {
    if (segment === "") {
      throw new InvalidBlobKeyError(key, "has an empty segment (a leading, trailing or doubled '/')");
    }
    if (segment === "..")
      throw new InvalidBlobKeyError(key, "has a '..' segment, which would leave the root");
    if (segment === ".") throw new InvalidBlobKeyError(key, "has a '.' segment; keys must be normalized");
    if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) {
      throw new InvalidBlobKeyError(
        key,
        `has a segment starting with the reserved "${RESERVED_SEGMENT_PREFIX}"`,
      );
    }
    if (encoder.encode(segment).length > MAX_SEGMENT_BYTES) {
      throw new InvalidBlobKeyError(key, `has a segment longer than ${MAX_SEGMENT_BYTES} bytes in UTF-8`);
    }
  }
  return segments;
}

/** Whether a key is valid, for listings that must skip foreign objects instead of failing. */
export function isValidBlobKey(key: string): boolean {
  try {
    validateBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

/**
 * The order `list` returns keys in, on every store: by Unicode code point, which is S3's UTF-8 byte
 * order (JS's default `<` compares UTF-16 code units and disagrees for characters beyond U+FFFF).
 */
export function compareBlobKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** At the first differing unit, a surrogate stands for a code point above every BMP character. */
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}
