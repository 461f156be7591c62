/**
 * Name resolution: which input field a column reference in a query means. A scope lists the
 * relations of a FROM clause (each a table, view, subquery or join side with its alias and
 * columns) laid out one after another in the input row; a subquery's scope has the enclosing
 * query's scope as parent, so outer columns resolve as correlated references.
 *
 * Invariant: a resolved reference's index is the field's position in the row of the node the scope
 * describes; hidden fields (added by the planner, e.g. for scalar subqueries) resolve by index only
 * and never by name or `*`.
 *
 * Example: in `SELECT o.id, name FROM orders o JOIN users u ON o.uid = u.id` the scope holds
 * `o(id, uid)` at offset 0 and `u(id, name)` at offset 2; `o.id` → $0, `name` → $3, `id` is
 * ambiguous.
 * @module
 */

import type { Identifier } from "../ast/names.ts";
import type { Span } from "../ast/span.ts";
import type { RexNode } from "../plan/rex.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export interface ScopeRelation {
  /** The alias, or the table's name; null for a relation without a name (e.g. an unaliased VALUES). */
  readonly name: string | null;
  readonly fields: readonly RowField[];
  /** Position of the relation's first field in the input row. */
  readonly offset: number;
  /** Planner-made fields (scalar subquery results): reachable by index only. */
  readonly hidden?: boolean;
  /** Row position of each field when not contiguous from `offset` (after a USING join). */
  readonly indices?: readonly number[];
  /** Fields reachable only qualified (`t.k`), e.g. a USING column, which unqualified is the merged one. */
  readonly qualifiedOnly?: ReadonlySet<number>;
}

/** The row position of field `i` of relation `r`. */
export function fieldIndex(r: ScopeRelation, i: number): number {
  return r.indices?.[i] ?? r.offset + i;
}

export class Scope {
  readonly relations: readonly ScopeRelation[];
  readonly parent: Scope | null;
  /** Identifies this scope's row when inner queries refer to it. */
  readonly correlationId: number;
  /** Set when an inner scope resolved a name here (the subquery is correlated). */
  correlated = false;
  /** Number of fields in the row (hidden ones included). */
  readonly width: number;

  constructor(relations: readonly ScopeRelation[], parent: Scope | null = null, correlationId = 0) {
    this.relations = relations;
    this.parent = parent;
    this.correlationId = correlationId;
    let width = 0;
    for (const r of relations) {
      for (let i = 0; i < r.fields.length; i++) width = Math.max(width, fieldIndex(r, i) + 1);
    }
    this.width = width;
  }

  static of(fields: readonly RowField[], name: string | null, parent: Scope | null = null): Scope {
    return new Scope([{ name, fields, offset: 0 }], parent);
  }

  /** The fields `*` expands to, in order (every relation's fields, left to right). */
  starFields(qualifier: readonly Identifier[], span: Span): { index: number; field: RowField }[] {
    const visible = this.relations.filter((r) => r.hidden !== true);
    const relations =
      qualifier.length === 0
        ? visible
        : visible.filter((r) => r.name === qualifier[qualifier.length - 1]!.value);
    if (relations.length === 0) {
      throw new SqlValidationError(span, `Unknown identifier '${qualifier.map((q) => q.value).join(".")}'`);
    }
    return relations.flatMap((r) =>
      r.fields.flatMap((field, i) =>
        qualifier.length === 0 && r.qualifiedOnly?.has(i) === true
          ? []
          : [{ index: fieldIndex(r, i), field }],
      ),
    );
  }

  /**
   * Resolves a dotted reference: `col`, `alias.col`, then nested row fields (`col.f`,
   * `alias.col.f`). Returns the rex for the column and the parts left over as field accesses.
   */
  resolve(parts: readonly Identifier[], span: Span): { rex: RexNode; rest: readonly Identifier[] } {
    const found = this.#resolveHere(parts, span);
    if (found !== null) return found;
    for (let outer = this.parent; outer !== null; outer = outer.parent) {
      const inOuter = outer.#resolveHere(parts, span);
      if (inOuter !== null && inOuter.rex.kind === "input-ref") {
        outer.correlated = true;
        return {
          rex: {
            kind: "correlated-ref",
            correlationId: outer.correlationId,
            index: inOuter.rex.index,
            type: inOuter.rex.type,
          },
          rest: inOuter.rest,
        };
      }
    }
    const first = parts[0]!.value;
    if (parts.length >= 2 && this.relations.some((r) => r.name === first)) {
      throw new SqlValidationError(span, `Column '${parts[1]!.value}' not found in table '${first}'`);
    }
    if (parts.length >= 2 && !this.#hasColumn(first)) {
      throw new SqlValidationError(span, `Table '${first}' not found`);
    }
    throw new SqlValidationError(span, `Column '${first}' not found in any table`);
  }

  #hasColumn(name: string): boolean {
    return this.relations.some((r) => r.fields.some((f) => f.name === name));
  }

  #resolveHere(
    parts: readonly Identifier[],
    span: Span,
  ): { rex: RexNode; rest: readonly Identifier[] } | null {
    if (parts.length >= 2) {
      const relation = this.relations.filter((r) => r.hidden !== true && r.name === parts[0]!.value);
      if (relation.length > 1) {
        throw new SqlValidationError(span, `Table '${parts[0]!.value}' is ambiguous`);
      }
      if (relation.length === 1) {
        const r = relation[0]!;
        const i = r.fields.findIndex((f) => f.name === parts[1]!.value);
        if (i < 0) return null;
        return { rex: ref(fieldIndex(r, i), r.fields[i]!.type), rest: parts.slice(2) };
      }
    }
    const name = parts[0]!.value;
    const matches: { index: number; type: LogicalType }[] = [];
    for (const r of this.relations) {
      if (r.hidden === true) continue;
      r.fields.forEach((f, i) => {
        if (f.name === name && r.qualifiedOnly?.has(i) !== true)
          matches.push({ index: fieldIndex(r, i), type: f.type });
      });
    }
    if (matches.length > 1) throw new SqlValidationError(span, `Column '${name}' is ambiguous`);
    if (matches.length === 0) return null;
    return { rex: ref(matches[0]!.index, matches[0]!.type), rest: parts.slice(1) };
  }
}

function ref(index: number, type: LogicalType): RexNode {
  return { kind: "input-ref", index, type };
}
