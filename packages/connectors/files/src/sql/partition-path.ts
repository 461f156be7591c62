/**
 * Hive-style partition directories, as Flink's filesystem connector writes and reads them:
 * `dt=2020-04-15/region=eu`, with characters that are unsafe in a path escaped as `%XX`, and NULL
 * written as the table's `partition.default-name` (default `__DEFAULT_PARTITION__`).
 *
 * Invariant: `unescapePartitionValue(escapePartitionValue(v)) === v` for every string `v`.
 * @module
 */

export const DEFAULT_PARTITION_NAME = "__DEFAULT_PARTITION__";

function mustEscape(code: number): boolean {
  return code < 0x20 || code === 0x7f || "\"#%'*/:=?\\[]^{}".includes(String.fromCharCode(code));
}

/** `a/b` → `a%2Fb`. */
export function escapePartitionValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    out += mustEscape(code) ? `%${code.toString(16).toUpperCase().padStart(2, "0")}` : value[i];
  }
  return out;
}

/** `a%2Fb` → `a/b`; a `%` not followed by two hex digits stays as it is. */
export function unescapePartitionValue(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * The partition values of a file from its directory path relative to the table root, in the order
 * of `keys`; a key missing from the path is an error naming the file.
 * Example: keys `[dt, region]`, path `dt=2020-04-15/region=eu/part-0.csv` → `["2020-04-15", "eu"]`.
 */
export function partitionValuesOf(
  relativeFile: string,
  keys: readonly string[],
  defaultName: string,
): (string | null)[] {
  const found = new Map<string, string>();
  const segments = relativeFile.split("/");
  for (const segment of segments.slice(0, -1)) {
    const eq = segment.indexOf("=");
    if (eq > 0)
      found.set(unescapePartitionValue(segment.slice(0, eq)), unescapePartitionValue(segment.slice(eq + 1)));
  }
  return keys.map((key) => {
    const value = found.get(key);
    if (value === undefined)
      throw new Error(`file ${relativeFile} is not inside a '${key}=…' partition directory`);
    return value === defaultName ? null : value;
  });
}
