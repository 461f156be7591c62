/**
 * UNNEST as a table function: one row per element of an ARRAY (a ROW element spread into its
 * fields), per entry of a MAP (key, value) and per occurrence of a MULTISET element; `WITH
 * ORDINALITY` appends the 1-based position (INT NOT NULL). A NULL collection yields no row.
 *
 * Invariant: the columns `unnestColumns` declares are exactly the values each yielded row holds,
 * in that order. Example: `UNNEST(ARRAY['x', 'y']) WITH ORDINALITY` → `['x', 1]`, `['y', 2]`.
 * @module
 */

import type { Row } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import type { TableFunctionDefinition } from "../../functions/function-definition.ts";
import type { LogicalType, RowField } from "../../types/logical-type.ts";

/** The columns UNNEST yields for a collection type, or null when the type cannot be unnested. */
export function unnestColumns(collection: LogicalType, withOrdinality: boolean): RowField[] | null {
  let columns: RowField[];
  switch (collection.kind) {
    case "ARRAY":
    case "MULTISET":
      columns =
        collection.element.kind === "ROW"
          ? [...collection.element.fields]
          : [{ name: "EXPR$0", type: collection.element }];
      break;
    case "MAP":
      columns = [
        { name: "KEY", type: collection.key },
        { name: "VALUE", type: collection.value },
      ];
      break;
    default:
      return null;
  }
  if (withOrdinality) columns.push({ name: "ORDINALITY", type: { kind: "INT", nullable: false } });
  return columns;
}

/** The UNNEST table function over `collection` (a type {@link unnestColumns} accepts). */
export function unnestFunction(collection: LogicalType, withOrdinality: boolean): TableFunctionDefinition {
  const columns = unnestColumns(collection, withOrdinality);
  if (columns === null) throw new Error(`UNNEST over ${collection.kind}`);
  // A ROW element is spread into its fields; a NULL row element then yields NULL fields.
  const spreadWidth =
    (collection.kind === "ARRAY" || collection.kind === "MULTISET") && collection.element.kind === "ROW"
      ? collection.element.fields.length
      : -1;
  return {
    kind: "table",
    name: "UNNEST",
    inferType: () => ({ result: columns }),
    implementation: (_context, value) =>
      unnestRows(value ?? null, collection.kind, spreadWidth, withOrdinality),
  };
}

function* unnestRows(
  value: SqlValue,
  kind: LogicalType["kind"],
  spreadWidth: number,
  withOrdinality: boolean,
): Iterable<Row> {
  if (value === null) return;
  let position = 0;
  const emit = (values: Row): Row => {
    position++;
    return withOrdinality ? [...values, position] : values;
  };
  if (kind === "MAP") {
    for (const [k, v] of value as Map<SqlValue, SqlValue>) yield emit([k, v]);
    return;
  }
  const element = (e: SqlValue): Row =>
    spreadWidth < 0 ? [e] : e === null ? new Array(spreadWidth).fill(null) : [...(e as SqlValue[])];
  if (kind === "MULTISET") {
    for (const [e, count] of value as Map<SqlValue, number>) {
      for (let i = 0; i < count; i++) yield emit(element(e));
    }
    return;
  }
  for (const e of value as SqlValue[]) yield emit(element(e));
}
