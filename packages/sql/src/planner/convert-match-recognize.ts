/**
 * `input MATCH_RECOGNIZE (…)` in FROM → a {@link LogicalMatch} and the scope of its result, with
 * Flink's validation: ORDER BY starts with an ascending time attribute, PARTITION BY names columns,
 * ONE ROW PER MATCH only, the PATTERN subset Flink's CEP runs (`match-recognize-pattern.ts`), and
 * only the navigation Flink has (PREV, FIRST, LAST, aggregates, MATCH_ROWTIME, MATCH_PROCTIME; not
 * NEXT, CLASSIFIER or MATCH_NUMBER).
 *
 * Invariants: DEFINE conditions and measures become rexes over the match row (see
 * `../plan/match-nodes.ts`): in the DEFINE of X, `X.col` and an unqualified `col` are the row
 * under test, another variable's `Y.col` is `LAST(Y.col)`; in MEASURES a column is `LAST(col)` of
 * its variable (all rows when unqualified); navigation values lose their time attribute (only
 * MATCH_ROWTIME/MATCH_PROCTIME give one), and are nullable (there may be no such row). The result
 * row is the partition columns, then the measures; with no AFTER MATCH clause the skip is TO NEXT
 * ROW (Calcite's default).
 *
 * Example: `Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime MEASURES LAST(B.price) AS p
 * PATTERN (A B) DEFINE B AS B.price > A.price)` over `Ticker(symbol, price, rowtime)` gives
 * `match(partitionKey=[0], definitions=[null, >($1, $3) with $3 = LAST(A.price)], measures=[p: $3
 * with $3 = LAST(B.price)])`, fields `symbol, p`.
 * @module
 */

import type { CallExpression, Expression } from "../ast/expressions.ts";
import type { MatchRecognize } from "../ast/match-recognize.ts";
import type { SkipStrategy } from "../exec/match/match-specs.ts";
import type { SortField } from "../exec/operator-specs.ts";
import type { AggregateFunctionDefinition } from "../functions/function-definition.ts";
import type { MatchDescription, MatchNavigation, MatchRex } from "../plan/match-nodes.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef } from "../plan/rex-factory.ts";
import { printExpression } from "../printer/expressions.ts";
import { printRowPattern } from "../printer/match-recognize.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import { callName, typeAggregateCall } from "./convert-aggregate.ts";
import { convertExpression, type ExpressionContext } from "./convert-expression.ts";
import type { FromResult } from "./convert-from.ts";
import { convertLiteral } from "./convert-literal.ts";
import type { QueryEnv } from "./convert-query.ts";
import { compilePattern } from "./match-recognize-pattern.ts";
import { Scope } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

/** Converts the MATCH_RECOGNIZE clause over the already converted `input`. */
export function convertMatchRecognize(mr: MatchRecognize, input: FromResult, env: QueryEnv): FromResult {
  const scope = new Scope(input.relations, env.outer);
  const base: ExpressionContext = {
    scope,
    functions: env.ctx.functions,
    functionContext: env.ctx.functionContext,
    clause: "MATCH_RECOGNIZE",
  };
  const fields = input.node.fields;
  if (mr.rowsPerMatch === "ALL ROWS PER MATCH") {
    throw new SqlValidationError(mr.span, "All rows per match mode is not supported yet.");
  }
  if (mr.subsets.length > 0) {
    throw new SqlValidationError(mr.subsets[0]!.span, "SUBSET is not supported in MATCH_RECOGNIZE yet.");
  }
  const partitionKey = mr.partitionBy.map((expr) => {
    const rex = convertExpression(expr, { ...base, clause: "PARTITION BY" });
    if (rex.kind !== "input-ref") {
      throw new SqlValidationError(expr.span, "PARTITION BY of MATCH_RECOGNIZE must be columns");
    }
    return rex.index;
  });
  const { orderBy, timeKind } = orderKeys(mr, base);
  const pattern = compilePattern(mr.pattern);
  const variables = pattern.map((e) => e.variable);
  const definitions: (MatchRex | null)[] = pattern.map(() => null);
  for (const definition of mr.definitions) {
    const element = variables.indexOf(definition.variable.value);
    if (element < 0) {
      throw new SqlValidationError(
        definition.variable.span,
        `Pattern variable '${definition.variable.value}' is defined but not used in PATTERN ${printRowPattern(mr.pattern)}`,
      );
    }
    const converted = new MatchExpressionConverter(base, variables, fields.length, definition.variable.value);
    const expr = converted.convert(definition.condition);
    if (expr.rex.type.kind !== "BOOLEAN") {
      throw new SqlValidationError(
        definition.condition.span,
        "DEFINE condition must be a boolean expression",
      );
    }
    definitions[element] = expr;
  }
  const measures = mr.measures.map((m) => ({
    name: m.alias.value,
    expr: new MatchExpressionConverter(base, variables, fields.length, null).convert(m.expression),
  }));
  const names = new Set<string>();
  const outFields: RowField[] = [
    ...partitionKey.map((k) => ({ name: fields[k]!.name, type: withoutTimeAttribute(fields[k]!.type) })),
    ...measures.map((m) => ({ name: m.name, type: m.expr.rex.type })),
  ];
  for (const f of outFields) {
    if (names.has(f.name))
      throw new SqlValidationError(mr.span, `Duplicate column name '${f.name}' in MATCH_RECOGNIZE output`);
    names.add(f.name);
  }
  const match: MatchDescription = {
    partitionKey,
    orderBy,
    timeKind,
    measures,
    pattern,
    patternText: `(${printRowPattern(mr.pattern)})`,
    definitions,
    skip: skipStrategy(mr, variables),
    withinMs: withinMs(mr),
  };
  const alias = mr.alias;
  let resultFields = outFields;
  if (alias !== null && alias.columns.length > 0) {
    if (alias.columns.length !== outFields.length) {
      throw new SqlValidationError(
        alias.span,
        `List of column aliases must have same degree as table; table has ${outFields.length} columns, whereas alias list has ${alias.columns.length} columns`,
      );
    }
    resultFields = outFields.map((f, i) => ({ name: alias.columns[i]!.value, type: f.type }));
  }
  return {
    node: { kind: "match", input: input.node, match, fields: resultFields },
    relations: [{ name: alias?.name.value ?? null, fields: resultFields, offset: 0 }],
  };
}

function orderKeys(
  mr: MatchRecognize,
  base: ExpressionContext,
): Pick<MatchDescription, "orderBy" | "timeKind"> {
  if (mr.orderBy.length === 0) {
    throw new SqlValidationError(mr.span, "You must specify either rowtime or proctime for order by.");
  }
  const context = { ...base, clause: "ORDER BY" };
  const orderBy: SortField[] = mr.orderBy.map((item) => {
    const rex = convertExpression(item.expression, context);
    if (rex.kind !== "input-ref") {
      throw new SqlValidationError(item.expression.span, "ORDER BY of MATCH_RECOGNIZE must be columns");
    }
    const direction = item.direction ?? "ASC";
    return {
      index: rex.index,
      direction,
      nullsFirst: item.nulls === null ? direction === "ASC" : item.nulls === "FIRST",
      type: rex.type,
    };
  });
  const first = orderBy[0]!;
  const type = first.type;
  const timeKind = type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ" ? type.timeAttribute : null;
  if (timeKind === null) {
    throw new SqlValidationError(
      mr.orderBy[0]!.span,
      "You must specify either rowtime or proctime for order by as the first one.",
    );
  }
  if (first.direction !== "ASC") {
    throw new SqlValidationError(
      mr.orderBy[0]!.span,
      "Primary sort order of a streaming table must be ascending on time.",
    );
  }
  return { orderBy, timeKind };
}

function skipStrategy(mr: MatchRecognize, variables: readonly string[]): SkipStrategy {
  const skip = mr.afterMatchSkip;
  if (skip === null) return { kind: "to-next-row" };
  switch (skip.kind) {
    case "skip-to-next-row":
      return { kind: "to-next-row" };
    case "skip-past-last-row":
      return { kind: "past-last-row" };
    case "skip-to-first":
    case "skip-to-last": {
      const variable = skip.variable.value;
      if (!variables.includes(variable)) {
        throw new SqlValidationError(skip.variable.span, `Unknown pattern '${variable}'`);
      }
      return { kind: skip.kind === "skip-to-first" ? "to-first" : "to-last", variable };
    }
  }
}

function withinMs(mr: MatchRecognize): number | null {
  if (mr.within === null) return null;
  const value = convertLiteral(mr.within);
  if (value.type.kind !== "INTERVAL_DAY_TIME" || typeof value.value !== "number") {
    throw new SqlValidationError(
      mr.within.span,
      "Only constant intervals with millisecond resolution are supported as time constraints of patterns.",
    );
  }
  return value.value;
}

/** A type as a value read from a row: a time attribute becomes a plain timestamp. */
function withoutTimeAttribute(type: LogicalType): LogicalType {
  if ((type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ") && type.timeAttribute !== null) {
    return { ...type, timeAttribute: null };
  }
  return type;
}

const NAVIGATIONS = new Set(["FIRST", "LAST", "PREV"]);
const UNSUPPORTED = new Set(["NEXT", "CLASSIFIER", "MATCH_NUMBER"]);

/**
 * Converts one DEFINE condition (`defining` is its variable) or one measure (`defining` null) to a
 * rex over the match row, collecting the navigations it reads.
 */
class MatchExpressionConverter {
  readonly #base: ExpressionContext;
  readonly #variables: readonly string[];
  readonly #width: number;
  readonly #defining: string | null;
  readonly #navigations: MatchNavigation[] = [];

  constructor(base: ExpressionContext, variables: readonly string[], width: number, defining: string | null) {
    this.#base = base;
    this.#variables = variables;
    this.#width = width;
    this.#defining = defining;
  }

  convert(expr: Expression): MatchRex {
    const clause = this.#defining === null ? "MEASURES" : "DEFINE";
    const rex = convertExpression(expr, {
      ...this.#base,
      clause,
      substitute: (e) => this.#substitute(e),
    });
    return { rex, navigations: this.#navigations };
  }

  #slot(nav: MatchNavigation, type: LogicalType): RexNode {
    const existing = this.#navigations.findIndex((n) => n.display === nav.display);
    const index = existing >= 0 ? existing : this.#navigations.push(nav) - 1;
    return inputRef(this.#width + index, type);
  }

  #variableOf(e: Expression): string | null {
    if (e.kind !== "reference" || e.parts.length < 2) return null;
    const name = e.parts[0]!.value;
    return this.#variables.includes(name) ? name : null;
  }

  #substitute(e: Expression): RexNode | undefined {
    if (e.kind === "match-semantics") {
      if (this.#defining !== null && e.semantics === "FINAL") {
        throw new SqlValidationError(e.span, "FINAL semantics are not allowed in DEFINE");
      }
      return convertExpression(e.operand, { ...this.#base, substitute: (x) => this.#substitute(x) });
    }
    if (e.kind === "reference") {
      const variable = this.#variableOf(e);
      if (variable !== null && variable === this.#defining) {
        return this.#column(e);
      }
      if (variable === null && this.#defining !== null) return undefined; // the row under test
      const value = this.#column(e);
      return this.#slot(
        { kind: "last", variable, offset: 0, value, display: `LAST(${printExpression(e)}, 0)` },
        nullable(withoutTimeAttribute(value.type)),
      );
    }
    if (e.kind !== "call" || e.over !== null) return undefined;
    const name = callName(e).toUpperCase();
    if (UNSUPPORTED.has(name)) {
      throw new SqlValidationError(e.span, `No match found for function signature ${name}(...)`);
    }
    if (NAVIGATIONS.has(name)) return this.#navigation(e, name as "FIRST" | "LAST" | "PREV");
    if (name === "MATCH_ROWTIME" || name === "MATCH_PROCTIME") return this.#matchTime(e, name);
    const definition = this.#base.functions.lookup(callName(e));
    if (definition?.kind === "aggregate") return this.#aggregate(e, definition);
    return undefined;
  }

  /** A column reference, `A.price` or `price`, as an input-ref (the variable part dropped). */
  #column(e: Expression & { kind: "reference" }): RexNode {
    const parts = this.#variableOf(e) === null ? e.parts : e.parts.slice(1);
    return convertExpression({ ...e, parts }, { ...this.#base, clause: "MATCH_RECOGNIZE" });
  }

  /** Converts a navigation or aggregate operand over one row; returns it and the one variable it reads. */
  #operand(e: Expression, what: string): { rex: RexNode; variable: string | null } {
    const seen = new Set<string | null>();
    const rex = convertExpression(e, {
      ...this.#base,
      clause: what,
      substitute: (x) => {
        if (x.kind !== "reference") return undefined;
        seen.add(this.#variableOf(x));
        return this.#column(x);
      },
    });
    if (seen.size > 1) {
      throw new SqlValidationError(
        e.span,
        `${what} must reference a single pattern variable, but references ${[...seen].map((v) => v ?? "*").join(", ")}`,
      );
    }
    const [variable] = seen;
    return { rex, variable: variable ?? null };
  }

  #navigation(e: CallExpression, name: "FIRST" | "LAST" | "PREV"): RexNode {
    const args = e.args;
    if (args.length < 1 || args.length > 2 || args.some((a) => !isExpression(a))) {
      throw new SqlValidationError(
        e.span,
        `Invalid number of arguments to function '${name}'. Was expecting 1 or 2 arguments`,
      );
    }
    const { rex, variable } = this.#operand(args[0] as Expression, name);
    let offset = name === "PREV" ? 1 : 0;
    const second = args[1] as Expression | undefined;
    if (second !== undefined) {
      if (second.kind !== "number-literal" || !/^\d+$/.test(second.text)) {
        throw new SqlValidationError(
          second.span,
          `The offset of ${name} must be a non-negative integer literal`,
        );
      }
      offset = Number(second.text);
    }
    const display = `${name}(${printExpression(args[0] as Expression)}, ${offset})`;
    return this.#slot(
      {
        kind: name === "FIRST" ? "first" : name === "LAST" ? "last" : "prev",
        variable,
        offset,
        value: rex,
        display,
      },
      nullable(withoutTimeAttribute(rex.type)),
    );
  }

  #matchTime(e: CallExpression, name: "MATCH_ROWTIME" | "MATCH_PROCTIME"): RexNode {
    if (this.#defining !== null) {
      throw new SqlValidationError(e.span, `${name}() can only be used in MEASURES`);
    }
    if (e.args.length > 0) {
      throw new SqlValidationError(
        e.span,
        `Invalid number of arguments to function '${name}'. Was expecting 0 arguments`,
      );
    }
    if (name === "MATCH_PROCTIME") {
      return this.#slot({ kind: "match-proctime", display: "MATCH_PROCTIME()" }, {
        kind: "TIMESTAMP_LTZ",
        precision: 3,
        nullable: false,
        timeAttribute: "proctime",
      } as LogicalType);
    }
    const time = this.#base.scope.relations
      .flatMap((r) => r.fields)
      .find((f) => {
        const t = f.type;
        return (t.kind === "TIMESTAMP" || t.kind === "TIMESTAMP_LTZ") && t.timeAttribute === "rowtime";
      });
    if (time === undefined) {
      throw new SqlValidationError(
        e.span,
        "MATCH_ROWTIME() needs an input with a rowtime attribute to order by",
      );
    }
    return this.#slot({ kind: "match-rowtime", display: "MATCH_ROWTIME()" }, {
      ...time.type,
      nullable: false,
    } as LogicalType);
  }

  #aggregate(e: CallExpression, definition: AggregateFunctionDefinition): RexNode {
    if (e.quantifier === "DISTINCT") {
      throw new SqlValidationError(e.span, "Distinct aggregations are not supported in MATCH_RECOGNIZE yet.");
    }
    if (e.filter !== null) {
      throw new SqlValidationError(
        e.filter.span,
        "FILTER is not supported on an aggregate in MATCH_RECOGNIZE",
      );
    }
    const star = e.args.length === 1 && e.args[0]!.kind === "star-argument";
    const operands: { rex: RexNode; variable: string | null }[] = star
      ? []
      : e.args.map((a) => {
          if (!isExpression(a))
            throw new SqlValidationError(e.span, `Unexpected argument of ${definition.name}`);
          return this.#operand(a, `Aggregation ${definition.name}`);
        });
    const variables = new Set(operands.map((o) => o.variable));
    if (variables.size > 1) {
      throw new SqlValidationError(
        e.span,
        `Aggregation must be applied to a single pattern variable, but ${printExpression(e)} references ${[...variables].map((v) => v ?? "*").join(", ")}`,
      );
    }
    const args = operands.map((o) => o.rex);
    const { inferred, casted } = typeAggregateCall(definition, args, e.span);
    const [variable] = variables;
    return this.#slot(
      {
        kind: "aggregate",
        variable: variable ?? null,
        definition,
        operands: casted,
        argTypes: casted.map((a) => a.type),
        type: inferred.result,
        display: printExpression(e),
      },
      inferred.result,
    );
  }
}

function isExpression(a: CallExpression["args"][number]): a is Expression {
  return (
    a.kind !== "star-argument" &&
    a.kind !== "named-argument" &&
    a.kind !== "table-argument" &&
    a.kind !== "descriptor-argument" &&
    a.kind !== "time-unit-argument"
  );
}

function nullable(type: LogicalType): LogicalType {
  return type.nullable ? type : ({ ...type, nullable: true } as LogicalType);
}
