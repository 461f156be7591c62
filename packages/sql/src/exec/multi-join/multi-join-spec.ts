/**
 * What the multi-way join operator is told by translation, and the tagged rows it reads.
 *
 * The DataStream API has one- and two-input operators only, so the N inputs of a multi-way join
 * are tagged and unioned into ONE stream, keyed by the common key, that one keyed operator reads:
 * a tagged row is `{ kind, fields: [input index, input row] }` (the row nested, not spread, so
 * tagging copies no fields). The key of a tagged row is the common key of its input's row, so
 * equal keys of different inputs land in the same partition.
 *
 * Example (3 inputs, common key field 0 of input 0 and field 1 of inputs 1 and 2): input 1's
 * `+I[7, 42]` becomes `+I[1, [7, 42]]`, keyed by `42`.
 * @module
 */

import type { KeySelector, KeyValue } from "@weir/api";
import { groupKeyOf } from "../../data/compare-values.ts";
import type { ChangelogMode, Row, RowData } from "../../data/row.ts";
import type { LogicalType } from "../../types/logical-type.ts";
import type { RowPredicate, StatefulOptions } from "../operator-specs.ts";

export interface MultiJoinSpec extends StatefulOptions {
  /** Field count of each input. */
  readonly arities: readonly number[];
  /** `joinTypes[d - 1]` joins input `d` to inputs `0..d-1`. */
  readonly joinTypes: readonly ("INNER" | "LEFT")[];
  /** `conditions[d - 1]`: the ON condition of input `d` over inputs `0..d` concatenated. */
  readonly conditions: readonly RowPredicate[];
  /** Each input's changelog mode (must carry full retractions when updating). */
  readonly inputModes: readonly ChangelogMode[];
}

/** A tagged row: its input's index and the input row. */
export function tagRow(input: number, record: RowData): RowData {
  return { kind: record.kind, fields: [input, record.fields] };
}

/**
 * The key selector of tagged rows: input `i`'s row keyed by `keys[i]` (whose types are `types`,
 * the same for every input), the same key `keySelectorFor` gives the untagged row.
 */
export function taggedKeySelector(
  keys: readonly (readonly number[])[],
  types: readonly LogicalType[],
): KeySelector<RowData, KeyValue> {
  if (keys.some((k) => k.length !== types.length)) {
    throw new RangeError(`taggedKeySelector: every input needs ${types.length} key fields`);
  }
  const copy = keys.map((k) => [...k]);
  const keyTypes = [...types];
  if (keyTypes.length === 1) {
    const type = keyTypes[0]!;
    const first = copy.map((k) => k[0]!);
    return (record) => {
      const fields = record.fields;
      return groupKeyOf((fields[1] as Row)[first[fields[0] as number]!] ?? null, type);
    };
  }
  return (record) => {
    const fields = record.fields;
    const indices = copy[fields[0] as number]!;
    const row = fields[1] as Row;
    const key = new Array<KeyValue>(indices.length);
    for (let i = 0; i < indices.length; i++) key[i] = groupKeyOf(row[indices[i]!] ?? null, keyTypes[i]!);
    return key;
  };
}
