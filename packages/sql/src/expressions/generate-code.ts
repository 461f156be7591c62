/**
 * Turns a rex tree into JavaScript statements and an expression holding its value.
 *
 * Invariants: every compound sub-expression is evaluated exactly once, into a `const` local, in
 * SQL's evaluation order, and branches (CASE, AND, OR, COALESCE) evaluate only what they need;
 * NULL checks are emitted only for operands whose type is nullable; hot operators (field refs,
 * literals, arithmetic and comparisons on numbers/bigints, AND/OR/NOT, IS [NOT] NULL, CASE,
 * COALESCE, numeric casts) are inlined, every other call goes to its definition's specialized
 * implementation through `F[i](ctx, …)`. Worked example: `$0 + 1` on a nullable INT input becomes
 * `const t0 = row[0] === null ? null : (row[0] + 1) | 0;`.
 * @module
 */

import { castValue, tryCastValue } from "../data/cast-value.ts";
import type { SqlValue } from "../data/values.ts";
import { builtinFunctions } from "../functions/builtin-catalog.ts";
import type {
  FunctionCatalog,
  FunctionContext,
  ScalarFunctionDefinition,
} from "../functions/function-definition.ts";
import {
  JSON_ARRAY_NULL_ON_NULL,
  JSON_OBJECT_ABSENT_ON_NULL,
  JSON_PRODUCING_FUNCTIONS,
  jsonConstructorImplementation,
} from "../functions/json-functions.ts";
import type { RexCall, RexCast, RexNode } from "../plan/rex.ts";
import { MAX_LENGTH } from "../types/logical-type.ts";
import { sameTypeIgnoringNullability } from "../types/type-coercion.ts";
import type { Block, CodeBuilder } from "./code-builder.ts";
import { inlineArithmetic, inlineCast, inlineComparison } from "./inline-operators.ts";

/** How the generated code reads input field `index`. */
export type FieldAccess = (index: number) => string;

export interface GenerationContext {
  readonly builder: CodeBuilder;
  readonly field: FieldAccess;
  readonly functions: FunctionCatalog | null;
  readonly context: FunctionContext;
}

function lookupScalar(ctx: GenerationContext, name: string): ScalarFunctionDefinition {
  const definition = ctx.functions?.lookup(name) ?? builtinFunctions().get(name.toUpperCase());
  if (definition === undefined) throw new Error(`cannot compile a call of unknown function ${name}`);
  if (definition.kind !== "scalar")
    throw new Error(`cannot compile ${name}: it is a ${definition.kind} function, not a scalar one`);
  return definition;
}

/** A literal as JavaScript source, or a constant reference for values without a literal form. */
function literalCode(value: SqlValue, ctx: GenerationContext): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : ctx.builder.constant(value);
    case "bigint":
      return `${value}n`;
    case "string":
      return JSON.stringify(value);
    default:
      return ctx.builder.constant(value);
  }
}

/** Binds `code` to a fresh const in `block` and returns its name. */
function bind(block: Block, ctx: GenerationContext, code: string): string {
  const name = ctx.builder.fresh();
  block.push(`const ${name} = ${code};`);
  return name;
}

/** Emits code computing `rex` into `block`; returns a cheap, side-effect-free expression of its value. */
export function generate(rex: RexNode, block: Block, ctx: GenerationContext): string {
  switch (rex.kind) {
    case "input-ref":
      return ctx.field(rex.index);
    case "literal":
      return literalCode(rex.value, ctx);
    case "cast":
      return generateCast(rex, block, ctx);
    case "call":
      return generateCall(rex, block, ctx);
    case "correlated-ref":
      throw new Error(
        "a correlated reference reached the expression compiler (decorrelation should have removed it)",
      );
  }
}

function generateCast(rex: RexCast, block: Block, ctx: GenerationContext): string {
  const from = rex.operand.type;
  const to = rex.type;
  if (from.kind === "NULL") return "null";
  if (rex.operand.kind === "literal") {
    // Cast literals once, here, rather than per row; a failing cast is left to run time (and fails there).
    try {
      return literalCode(
        (rex.safe ? tryCastValue : castValue)(rex.operand.value, from, to, ctx.context),
        ctx,
      );
    } catch {
      // fall through to the run-time cast
    }
  }
  const operand = generate(rex.operand, block, ctx);
  if (sameTypeIgnoringNullability(from, to) && !(to.kind === "CHAR" && to.length !== MAX_LENGTH))
    return operand;
  const inline = rex.safe ? null : inlineCast(operand, from, to);
  const call =
    inline ??
    `${ctx.builder.function(rex.safe ? tryCastValue : castValue)}(${operand}, ${ctx.builder.constant(from)}, ${ctx.builder.constant(to)}, ctx)`;
  if (!from.nullable) return bind(block, ctx, call);
  return bind(block, ctx, `${operand} === null ? null : ${call}`);
}

function generateCall(rex: RexCall, block: Block, ctx: GenerationContext): string {
  const name = rex.name.toUpperCase();
  switch (name) {
    case "AND":
    case "OR":
      return generateJunction(name, rex.operands, block, ctx);
    case "CASE":
      return generateCase(rex, block, ctx);
    case "COALESCE":
      return generateCoalesce(rex, block, ctx);
    case "IS NULL":
    case "IS NOT NULL": {
      const operand = rex.operands[0]!;
      const value = generate(operand, block, ctx);
      if (!operand.type.nullable) return name === "IS NULL" ? "false" : "true";
      return bind(block, ctx, `${value} ${name === "IS NULL" ? "===" : "!=="} null`);
    }
    case "IS TRUE":
      return bind(block, ctx, `${generate(rex.operands[0]!, block, ctx)} === true`);
    case "IS NOT TRUE":
      return bind(block, ctx, `${generate(rex.operands[0]!, block, ctx)} !== true`);
    case "IS FALSE":
      return bind(block, ctx, `${generate(rex.operands[0]!, block, ctx)} === false`);
    case "IS NOT FALSE":
      return bind(block, ctx, `${generate(rex.operands[0]!, block, ctx)} !== false`);
    case "NOT": {
      const operand = rex.operands[0]!;
      const value = generate(operand, block, ctx);
      return bind(block, ctx, operand.type.nullable ? `${value} === null ? null : !${value}` : `!${value}`);
    }
    case "REINTERPRET":
      return generate(rex.operands[0]!, block, ctx);
  }
  const definition = lookupScalar(ctx, rex.name);
  if (name === "IN" && builtinFunctions().get(name) === definition) {
    const inline = generateInSet(rex, block, ctx);
    if (inline !== null) return inline;
  }
  const operandTypes = rex.operands.map((o) => o.type);
  const values = rex.operands.map((o) => generate(o, block, ctx));
  const builtin = builtinFunctions().get(name) === definition;
  if (builtin && values.length === 2) {
    const inline =
      inlineArithmetic(
        name,
        values[0]!,
        values[1]!,
        operandTypes[0]!,
        operandTypes[1]!,
        rex.type,
        ctx.builder,
      ) ??
      (sameTypeIgnoringNullability(operandTypes[0]!, operandTypes[1]!)
        ? inlineComparison(name, values[0]!, values[1]!, operandTypes[0]!, ctx.builder)
        : null);
    if (inline !== null) return strictBind(block, ctx, inline, rex.operands, values);
  }
  if (builtin && name === "NEGATE") {
    const type = operandTypes[0]!;
    const v = values[0]!;
    const inline =
      type.kind === "INT"
        ? `-${v} | 0`
        : type.kind === "DOUBLE" || type.kind === "FLOAT"
          ? `-${v}`
          : type.kind === "BIGINT"
            ? `BigInt.asIntN(64, -${v})`
            : type.kind === "DECIMAL"
              ? `-${v}`
              : null;
    if (inline !== null) return strictBind(block, ctx, inline, rex.operands, values);
  }
  const implementation =
    (builtin && JSON_CONSTRUCTORS.has(name) ? jsonConstructor(name, rex.operands) : undefined) ??
    definition.specialize?.(operandTypes, rex.type) ??
    definition.implementation;
  const code = `${ctx.builder.function(implementation)}(ctx${values.map((v) => `, ${v}`).join("")})`;
  if (!definition.strict) return bind(block, ctx, code);
  return strictBind(block, ctx, code, rex.operands, values);
}

/** The value of a literal or of a cast of a literal; undefined for anything else. */
function constantValue(rex: RexNode, ctx: GenerationContext): SqlValue | undefined {
  if (rex.kind === "literal") return rex.value;
  if (rex.kind === "cast" && rex.operand.kind === "literal") {
    try {
      return (rex.safe ? tryCastValue : castValue)(
        rex.operand.value,
        rex.operand.type,
        rex.type,
        ctx.context,
      );
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const SET_COMPARABLE = new Set([
  "BOOLEAN",
  "TINYINT",
  "SMALLINT",
  "INT",
  "BIGINT",
  "DECIMAL",
  "CHAR",
  "VARCHAR",
  "DATE",
  "TIME",
  "TIMESTAMP",
  "TIMESTAMP_LTZ",
]);

/**
 * `x IN (c1, c2, …)` with constant values of a type whose JavaScript values compare with `===`
 * (not doubles: NaN): one Set lookup instead of a scan. NULL in the list makes a miss NULL.
 */
function generateInSet(rex: RexCall, block: Block, ctx: GenerationContext): string | null {
  const [subject, ...list] = rex.operands;
  if (subject === undefined || !SET_COMPARABLE.has(subject.type.kind)) return null;
  const values: SqlValue[] = [];
  let sawNull = false;
  for (const item of list) {
    const value = constantValue(item, ctx);
    if (value === undefined) return null;
    if (value === null) sawNull = true;
    else values.push(value);
  }
  const set = ctx.builder.constant(new Set(values));
  const value = generate(subject, block, ctx);
  const miss = sawNull ? "null" : "false";
  const lookup = `${set}.has(${value}) ? true : ${miss}`;
  return bind(block, ctx, subject.type.nullable ? `${value} === null ? null : ${lookup}` : lookup);
}

/** JSON_OBJECT / JSON_ARRAY (and their ON NULL variants) that insert nested JSON-function results as JSON, not as quoted strings. */
function jsonConstructor(name: string, operands: readonly RexNode[]) {
  const raw = operands.map(
    (o) =>
      o.kind === "call" &&
      JSON_PRODUCING_FUNCTIONS.has(o.name.toUpperCase()) &&
      builtinFunctions().get(o.name.toUpperCase()) !== undefined,
  );
  const types = operands.map((o) => o.type);
  return jsonConstructorImplementation(name, types, raw);
}

const JSON_CONSTRUCTORS = new Set([
  "JSON_OBJECT",
  "JSON_ARRAY",
  JSON_OBJECT_ABSENT_ON_NULL,
  JSON_ARRAY_NULL_ON_NULL,
]);

/** Binds `code`, guarded so that it yields NULL when a nullable operand is NULL. */
function strictBind(
  block: Block,
  ctx: GenerationContext,
  code: string,
  operands: readonly RexNode[],
  values: readonly string[],
): string {
  const checks: string[] = [];
  operands.forEach((operand, i) => {
    if (operand.type.kind === "NULL") checks.push("true");
    else if (operand.type.nullable) checks.push(`${values[i]} === null`);
  });
  if (checks.includes("true")) return "null";
  if (checks.length === 0) return bind(block, ctx, code);
  return bind(block, ctx, `${checks.join(" || ")} ? null : ${code}`);
}

/** AND / OR with three-valued logic, evaluating later operands only when the result is still open. */
function generateJunction(
  name: "AND" | "OR",
  operands: readonly RexNode[],
  block: Block,
  ctx: GenerationContext,
): string {
  const decisive = name === "AND" ? "false" : "true";
  const result = ctx.builder.fresh("j");
  block.push(`let ${result} = ${name === "AND" ? "true" : "false"};`);
  // Nested blocks: each operand is evaluated only when all before it were not decisive.
  const current = block;
  const closers: string[] = [];
  operands.forEach((operand, i) => {
    const value = generate(operand, current, ctx);
    if (operand.type.nullable) {
      current.push(`if (${value} === ${decisive}) ${result} = ${decisive}; else {`);
      current.push(`if (${value} === null) ${result} = null;`);
    } else {
      current.push(`if (${value} === ${decisive}) ${result} = ${decisive}; else {`);
    }
    closers.push("}");
    if (i === operands.length - 1) current.push(closers.join(" "));
  });
  return result;
}

function generateCase(rex: RexCall, block: Block, ctx: GenerationContext): string {
  const operands = rex.operands;
  const result = ctx.builder.fresh("c");
  block.push(`let ${result};`);
  let closers = 0;
  for (let i = 0; i + 1 < operands.length; i += 2) {
    const condition = generate(operands[i]!, block, ctx);
    block.push(`if (${condition} === true) {`);
    const value = generate(operands[i + 1]!, block, ctx);
    block.push(`${result} = ${value};`, "} else {");
    closers++;
  }
  const otherwise = generate(operands[operands.length - 1]!, block, ctx);
  block.push(`${result} = ${otherwise};`);
  block.push("}".repeat(closers));
  return result;
}

function generateCoalesce(rex: RexCall, block: Block, ctx: GenerationContext): string {
  const result = ctx.builder.fresh("c");
  block.push(`let ${result} = null;`);
  let closers = 0;
  for (const operand of rex.operands) {
    const value = generate(operand, block, ctx);
    block.push(`${result} = ${value};`);
    if (!operand.type.nullable) break;
    block.push(`if (${result} === null) {`);
    closers++;
  }
  block.push("}".repeat(closers));
  return result;
}
