/**
 * The canonical order of a key object's fields. Invariant: it depends only on the field names,
 * compared by UTF-16 code units (what `<` and the default `sort()` compare), never on insertion
 * order or the engine, because key hashes and key ids are built on it.
 */

/** Above this many fields, insertion sort's quadratic cost loses to the engine's sort. */
const INSERTION_SORT_LIMIT = 16;

/** Own enumerable field names of `record`, sorted. Returns a fresh array the caller may keep. */
export function sortedFieldNames(record: object): string[] {
  const fields = Object.keys(record);
  if (fields.length > INSERTION_SORT_LIMIT) return fields.sort();
  // Keys have a handful of fields; insertion sort on those is several times faster than sort().
  for (let i = 1; i < fields.length; i++) {
    const field = fields[i] as string;
    let j = i - 1;
    while (j >= 0 && (fields[j] as string) > field) {
      fields[j + 1] = fields[j] as string;
      j--;
    }
    fields[j + 1] = field;
  }
  return fields;
}
