/**
 * Plans a job statement (SELECT, INSERT, statement set) end to end: validation to a logical plan
 * per sink, the rewrite rules, the physical plan with its sink, changelog inference and the sink's
 * acceptance check. EXPLAIN prints what this returns; translation builds operators from it.
 *
 * Invariant: a returned plan has been fully checked: translating it can only fail for reasons
 * outside the plan (a connector that cannot reach its system), never for SQL errors.
 * @module
 */

import type { Query } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import type { Insert, StatementSet } from "../ast/statements.ts";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { DEFAULT_CATALOG, DEFAULT_DATABASE, qualifiedObjectName } from "../catalog/session-catalog.ts";
import { toChangelogMode } from "../plan/changelog-traits.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { PhysicalNode, PhysicalSink } from "../plan/physical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef, literal } from "../plan/rex-factory.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType, RowType } from "../types/logical-type.ts";
import { canImplicitlyCast, sameTypeIgnoringNullability } from "../types/type-coercion.ts";
import { checkSinkAccepts, inferChangelog } from "./changelog-inference.ts";
import { castTo } from "./convert-expression.ts";
import { convertQuery } from "./convert-query.ts";
import { optimize } from "./optimize.ts";
import { checkInsertOnlyInputs } from "./over-aggregate-planning.ts";
import type { PlannerContext } from "./planner-context.ts";
import { type PlannerOptions, readPlannerOptions } from "./planner-options.ts";
import { connectorOf, physicalRowType } from "./source-description.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { isBounded, toPhysical } from "./to-physical.ts";

export interface PlannedSink {
  /** The validated plan before rewrite rules (EXPLAIN's abstract syntax tree). */
  readonly ast: LogicalNode;
  readonly optimized: LogicalNode;
  /** The Sink node, changelog traits inferred. */
  readonly physical: PhysicalSink;
}

export interface PlannedJob {
  readonly sinks: readonly PlannedSink[];
  /** The SELECT's output schema; null for inserts. */
  readonly schema: RowType | null;
  readonly bounded: boolean;
  readonly options: PlannerOptions;
  readonly jobName: string;
}

export function planSelect(query: Query, ctx: PlannerContext): PlannedJob {
  const options = readPlannerOptions(ctx.config, query.span);
  const ast = convertQuery(query, { ctx, ctes: new Map(), outer: null });
  const sink = planSink(ast, null, query.span, options, ctx);
  checkBatchMode(sink.physical, options, query.span);
  return {
    sinks: [sink],
    schema: { kind: "ROW", nullable: false, fields: ast.fields.map((f) => ({ name: f.name, type: f.type })) },
    bounded: isBounded(sink.physical),
    options,
    jobName: "collect",
  };
}

export function planInserts(statement: Insert | StatementSet, ctx: PlannerContext): PlannedJob {
  const options = readPlannerOptions(ctx.config, statement.span);
  const inserts = statement.kind === "insert" ? [statement] : statement.inserts;
  if (inserts.length === 0)
    throw new SqlValidationError(statement.span, "A statement set must contain at least one INSERT");
  const sinks = inserts.map((insert) => {
    const { table, ast } = convertInsert(insert, ctx);
    const sink = planSink(ast, table, insert.span, options, ctx);
    checkBatchMode(sink.physical, options, insert.span);
    return sink;
  });
  const names = inserts.map((i) => qualifiedObjectName(i.target.parts[i.target.parts.length - 1]!.value));
  return {
    sinks,
    schema: null,
    bounded: sinks.every((s) => isBounded(s.physical)),
    options,
    jobName: `insert-into_${names.join(",")}`,
  };
}

function checkBatchMode(sink: PhysicalNode, options: PlannerOptions, span: Span): void {
  if (options.runtimeMode !== "batch" || isBounded(sink)) return;
  throw new SqlValidationError(
    span,
    "Querying an unbounded table in batch mode is not allowed. The table source is unbounded.",
  );
}

function planSink(
  ast: LogicalNode,
  table: ResolvedTable | null,
  span: Span,
  options: PlannerOptions,
  ctx: PlannerContext,
): PlannedSink {
  const optimized = optimize(ast, ctx);
  const physicalInput = toPhysical(optimized, { options, span });
  const sinkKey = table === null ? null : primaryKeyIndices(table);
  // Retractions are needed unless the sink is keyed by exactly the updates' key.
  let input = inferChangelog(physicalInput, true);
  if (sinkKey !== null && sameKey(input.traits!.upsertKey, sinkKey))
    input = inferChangelog(physicalInput, false);
  checkInsertOnlyInputs(input, span);
  const physical: PhysicalSink = {
    kind: "Sink",
    input,
    table,
    path: table === null ? null : [DEFAULT_CATALOG, DEFAULT_DATABASE, table.name],
    upsertKey: sinkKey,
    fields: input.fields,
    traits: input.traits,
  };
  if (table !== null) {
    let accepted: readonly string[];
    try {
      const factory = connectorOf(table);
      if (factory.createSink === undefined) {
        throw new Error(
          `Connector '${factory.identifier}' can only be used as a source, not as a sink (table '${table.name}')`,
        );
      }
      accepted = factory.createSink({
        table,
        physicalType: physicalRowType(table),
        inputMode: toChangelogMode(input.traits!.kinds, input.traits!.upsertKey),
        config: ctx.config,
      }).acceptedModes;
    } catch (error) {
      throw new SqlValidationError(span, (error as Error).message);
    }
    checkSinkAccepts(qualifiedObjectName(table.name), input, accepted, span);
  }
  return { ast, optimized, physical };
}

function primaryKeyIndices(table: ResolvedTable): number[] | null {
  if (table.primaryKey === null) return null;
  const physical = table.columns.filter((c) => c.kind === "physical");
  return table.primaryKey.map((name) => physical.findIndex((c) => c.name === name));
}

function sameKey(a: readonly number[] | null, b: readonly number[]): boolean {
  if (a === null || a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((k) => set.has(k));
}

/** `INSERT INTO t [(cols)] query`: the query cast to the sink's physical columns. */
function convertInsert(insert: Insert, ctx: PlannerContext): { table: ResolvedTable; ast: LogicalNode } {
  const parts = insert.target.parts.map((p) => p.value);
  const path = ctx.catalog.resolvePath(parts);
  if (!path.ok) throw new SqlValidationError(insert.target.span, path.reason);
  const object = ctx.catalog.lookup(path.name);
  if (object === undefined) {
    throw new SqlValidationError(insert.target.span, `Object '${parts.join(".")}' not found`);
  }
  if (object.kind === "view") {
    throw new SqlValidationError(
      insert.target.span,
      `Inserting into a view '${qualifiedObjectName(object.name)}' is not allowed`,
    );
  }
  if (insert.overwrite) throw new SqlValidationError(insert.span, "INSERT OVERWRITE is not supported yet");
  const table = object;
  const query = convertQuery(insert.query, { ctx, ctes: new Map(), outer: null });
  const sinkColumns = table.columns.filter((c) => c.kind === "physical");
  // Target positions: all physical columns, or the listed ones (the rest NULL), plus static partitions.
  const sources: (RexNode | null)[] = sinkColumns.map(() => null);
  const listed = insert.columns.length > 0 ? insert.columns.map((c) => c.value) : null;
  const staticColumns = new Map(insert.partition.map((p) => [p.column.value, p]));
  const targetNames = listed ?? sinkColumns.map((c) => c.name).filter((n) => !staticColumns.has(n));
  if (query.fields.length !== targetNames.length) {
    throw new SqlValidationError(
      insert.query.span,
      schemaMismatch(table, query, "Different number of columns."),
    );
  }
  targetNames.forEach((name, i) => {
    const index = sinkColumns.findIndex((c) => c.name === name);
    if (index < 0) {
      throw new SqlValidationError(
        insert.span,
        `Unknown target column '${name}' of table '${qualifiedObjectName(table.name)}'`,
      );
    }
    sources[index] = inputRef(i, query.fields[i]!.type);
  });
  for (const [name, partition] of staticColumns) {
    const index = sinkColumns.findIndex((c) => c.name === name);
    if (index < 0) throw new SqlValidationError(partition.column.span, `Unknown partition column '${name}'`);
    if (partition.value.kind !== "string-literal" && partition.value.kind !== "number-literal") {
      throw new SqlValidationError(partition.value.span, "Static partition values must be literals");
    }
    const text = partition.value.kind === "string-literal" ? partition.value.value : partition.value.text;
    sources[index] = literal(text, { kind: "VARCHAR", length: Math.max(1, text.length), nullable: false });
  }
  const exprs = sinkColumns.map((column, i) => {
    const source = sources[i] ?? literal(null, { ...column.type, nullable: true } as LogicalType);
    if (sameTypeIgnoringNullability(source.type, column.type) || source.type.kind === "NULL") {
      return source.type.kind === "NULL"
        ? literal(null, { ...column.type, nullable: true } as LogicalType)
        : source;
    }
    if (!canImplicitlyCast(source.type, column.type)) {
      throw new SqlValidationError(
        insert.query.span,
        schemaMismatch(table, query, `Incompatible types for sink column '${column.name}' at position ${i}.`),
      );
    }
    return castTo(source, { ...column.type, nullable: source.type.nullable } as LogicalType);
  });
  const ast: LogicalNode = {
    kind: "project",
    input: query,
    exprs,
    fields: sinkColumns.map((c, i) => ({ name: c.name, type: exprs[i]!.type })),
  };
  return { table, ast };
}

function schemaMismatch(table: ResolvedTable, query: LogicalNode, cause: string): string {
  const schema = (fields: readonly { name: string; type: LogicalType }[]) =>
    `[${fields.map((f) => `${f.name}: ${formatLogicalType(f.type)}`).join(", ")}]`;
  const sink = table.columns.filter((c) => c.kind === "physical");
  return `Column types of query result and sink for '${qualifiedObjectName(table.name)}' do not match.\nCause: ${cause}\n\nQuery schema: ${schema(query.fields)}\nSink schema:  ${schema(sink)}`;
}
