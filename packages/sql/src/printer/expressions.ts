/**
 * Printing expressions, call arguments, ORDER BY items and window specifications back to SQL.
 *
 * Invariant: for any tree the parser produces, the output parses back to an equal tree (spans
 * aside). Binary operators get the parentheses their precedence needs; every other operand that
 * is itself an operator expression (IS, BETWEEN, LIKE, IN, unary) is parenthesized; special
 * call syntaxes the parser folds into plain calls (POSITION ... IN, OVERLAY ... PLACING,
 * FLOOR ... TO) are printed in their special form, which is the only one Flink accepts; calls
 * with SQL/JSON clauses are printed by json-calls.ts.
 * @module
 */

import type {
  BinaryExpression,
  BinaryOperator,
  CallArgument,
  CallExpression,
  Expression,
} from "../ast/expressions.ts";
import type { FrameBound, OrderItem, WindowSpec } from "../ast/windows.ts";
import { isReserved, isReservedFunctionName } from "../lexer/reserved-words.ts";
import { JSON_SYNTAX_FUNCTIONS } from "../parser/json-calls.ts";
import { printJsonArguments } from "./json-calls.ts";
import { printIdentifier, printIdentifierList, printQualifiedName, quoteName, quoteString } from "./names.ts";
import { printQuery } from "./queries.ts";
import { printDataType, printIntervalQualifier } from "./types.ts";

/** Words the parser reads as special syntax when `(` or `[` follows, so a name spelled so needs quotes. */
const CONTEXTUAL: ReadonlySet<string> = new Set(["TRY_CAST", "MAP", "DESCRIPTOR"]);

const OPERATOR_KINDS: ReadonlySet<Expression["kind"]> = new Set([
  "unary",
  "binary",
  "is",
  "is-json",
  "is-distinct-from",
  "between",
  "like",
  "in-list",
  "in-query",
  "match-semantics",
]);

/** Binding power of each binary operator, as in the parser (higher binds tighter). */
const BINARY_POWER: Readonly<Record<BinaryOperator, number>> = {
  OR: 1,
  AND: 2,
  "=": 3,
  "<>": 3,
  "<": 3,
  "<=": 3,
  ">": 3,
  ">=": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
  "||": 5,
};

/**
 * A chain of binary operators with only the parentheses precedence needs: `a OR b OR c`,
 * `(a + b) * c`, `a - (b - c)`. The left spine of equal-power operators is walked in a loop, so a
 * generated OR of thousands of terms prints without deep recursion.
 */
function printBinary(e: BinaryExpression): string {
  const power = BINARY_POWER[e.operator];
  const spine: BinaryExpression[] = [e];
  let leftmost: Expression = e.left;
  while (leftmost.kind === "binary" && BINARY_POWER[leftmost.operator] === power) {
    spine.push(leftmost);
    leftmost = leftmost.left;
  }
  let text = binaryOperand(leftmost, power, "left");
  for (let i = spine.length - 1; i >= 0; i--) {
    const node = spine[i]!;
    text += ` ${node.operator} ${binaryOperand(node.right, power, "right")}`;
  }
  return text;
}

/** An operand of a binary operator of `power`: bare when it binds tighter, else parenthesized. */
function binaryOperand(e: Expression, power: number, side: "left" | "right"): string {
  if (e.kind !== "binary") return operand(e);
  const inner = BINARY_POWER[e.operator];
  const bare = inner > power || (side === "left" && inner === power);
  return bare ? printBinary(e) : `(${printBinary(e)})`;
}

/** `e`, parenthesized when it is an operator expression. */
function operand(e: Expression): string {
  const text = printExpression(e);
  return OPERATOR_KINDS.has(e.kind) ? `(${text})` : text;
}

export function printExpression(e: Expression): string {
  switch (e.kind) {
    case "string-literal":
      return quoteString(e.value);
    case "binary-literal":
      return `X'${e.hex}'`;
    case "number-literal":
      return e.text;
    case "boolean-literal":
      return e.value ? "TRUE" : "FALSE";
    case "null-literal":
      return "NULL";
    case "datetime-literal":
      return `${e.type} ${quoteString(e.value)}`;
    case "interval-literal":
      return `INTERVAL ${e.negative ? "-" : ""}${quoteString(e.value)} ${printIntervalQualifier(e.qualifier)}`;
    case "reference":
      return e.parts.map((part) => quoteName(part.value, (upper) => CONTEXTUAL.has(upper))).join(".");
    case "call":
      return printCall(e);
    case "unary":
      return e.operator === "NOT" ? `NOT ${operand(e.operand)}` : `${e.operator}${operand(e.operand)}`;
    case "binary":
      return printBinary(e);
    case "is":
      return `${operand(e.operand)} IS ${e.negated ? "NOT " : ""}${e.test}`;
    case "is-json":
      return `${operand(e.operand)} IS ${e.negated ? "NOT " : ""}JSON ${e.jsonType}`;
    case "is-distinct-from":
      return `${operand(e.left)} IS ${e.negated ? "NOT " : ""}DISTINCT FROM ${operand(e.right)}`;
    case "between":
      return `${operand(e.operand)} ${e.negated ? "NOT " : ""}BETWEEN ${e.symmetric ? "SYMMETRIC " : ""}${operand(e.low)} AND ${operand(e.high)}`;
    case "like": {
      const escapeClause = e.escape === null ? "" : ` ESCAPE ${operand(e.escape)}`;
      return `${operand(e.operand)} ${e.negated ? "NOT " : ""}${e.operator} ${operand(e.pattern)}${escapeClause}`;
    }
    case "in-list":
      return `${operand(e.operand)} ${e.negated ? "NOT " : ""}IN (${e.values.map(printExpression).join(", ")})`;
    case "in-query":
      return `${operand(e.operand)} ${e.negated ? "NOT " : ""}IN (${printQuery(e.query)})`;
    case "exists":
      return `EXISTS (${printQuery(e.query)})`;
    case "scalar-subquery":
      return `(${printQuery(e.query)})`;
    case "case": {
      const parts = ["CASE"];
      if (e.operand !== null) parts.push(printExpression(e.operand));
      for (const when of e.whens) {
        parts.push(
          `WHEN ${when.conditions.map(printExpression).join(", ")} THEN ${printExpression(when.result)}`,
        );
      }
      if (e.elseResult !== null) parts.push(`ELSE ${printExpression(e.elseResult)}`);
      parts.push("END");
      return parts.join(" ");
    }
    case "cast":
      return `${e.safe ? "TRY_CAST" : "CAST"}(${printExpression(e.operand)} AS ${printDataType(e.type)})`;
    case "extract":
      return `EXTRACT(${e.unit} FROM ${printExpression(e.operand)})`;
    case "trim": {
      const side = e.side === null ? "" : `${e.side} `;
      const characters = e.characters === null ? "" : `${printExpression(e.characters)} `;
      const from = side === "" && characters === "" ? "" : "FROM ";
      return `TRIM(${side}${characters}${from}${printExpression(e.operand)})`;
    }
    case "row":
      return !e.keyword && e.values.length >= 2
        ? `(${e.values.map(printExpression).join(", ")})`
        : `ROW(${e.values.map(printExpression).join(", ")})`;
    case "array":
      return `ARRAY[${e.elements.map(printExpression).join(", ")}]`;
    case "map":
      return `MAP[${e.entries.map((entry) => `${printExpression(entry.key)}, ${printExpression(entry.value)}`).join(", ")}]`;
    case "index":
      return `${postfixTarget(e.target)}[${printExpression(e.index)}]`;
    case "field-access":
      return `${postfixTarget(e.target)}.${printIdentifier(e.field)}`;
    case "match-semantics":
      return `${e.semantics} ${operand(e.operand)}`;
  }
}

/** The target of `[i]` or `.field`. */
function postfixTarget(target: Expression): string {
  // `(a).b` keeps a field access apart from the name `a.b`; `(1).b` keeps `1.` from lexing as 1.0.
  if (target.kind === "reference" || target.kind === "number-literal") return `(${printExpression(target)})`;
  return operand(target);
}

function printCall(call: CallExpression): string {
  const parts = call.name.parts;
  const single = parts.length === 1 ? parts[0]!.value : null;
  if (!call.parenthesized) return single ?? printQualifiedName(call.name);
  const upper = single?.toUpperCase() ?? "";
  const args = call.args;
  if (call.json !== undefined)
    return withFilterAndOver(call, `${single}(${printJsonArguments(call, call.json)})`);
  // POSITION, OVERLAY and SUBSTRING have special forms only for plain calls of expressions.
  const plain =
    call.quantifier === null && call.filter === null && call.over === null && args.every(isExpression);
  let inner: string | null = null;
  if (plain && upper === "POSITION" && (args.length === 2 || args.length === 3)) {
    inner = `${operand(args[0] as Expression)} IN ${printArgument(args[1]!)}`;
    if (args.length === 3) inner += ` FROM ${printArgument(args[2]!)}`;
  } else if (plain && upper === "OVERLAY" && (args.length === 3 || args.length === 4)) {
    inner = `${printArgument(args[0]!)} PLACING ${printArgument(args[1]!)} FROM ${printArgument(args[2]!)}`;
    if (args.length === 4) inner += ` FOR ${printArgument(args[3]!)}`;
  } else if (plain && upper === "SUBSTRING" && (args.length === 2 || args.length === 3)) {
    inner = `${printArgument(args[0]!)} FROM ${printArgument(args[1]!)}`;
    if (args.length === 3) inner += ` FOR ${printArgument(args[2]!)}`;
  } else if (args.length === 2 && args[1]!.kind === "time-unit-argument") {
    // `FLOOR(INTERVAL '1' DAY TO HOUR)` would read DAY TO HOUR as one qualifier, also when the
    // interval ends a larger operand (`x LIKE y ESCAPE INTERVAL '1' YEAR TO …`).
    const first =
      args[0]!.kind === "interval-literal" || OPERATOR_KINDS.has(args[0]!.kind as Expression["kind"])
        ? `(${printArgument(args[0]!)})`
        : printArgument(args[0]!);
    inner = `${first} TO ${args[1].unit}`;
  }
  // The special forms keep the bare keyword; a plain call of such a name needs quotes.
  const name = inner !== null && single !== null && PLAIN.test(single) ? single : printFunctionName(call);
  if (inner === null) {
    const quantifier = call.quantifier === null ? "" : `${call.quantifier} `;
    inner = `${quantifier}${args.map(printArgument).join(", ")}`;
  }
  return withFilterAndOver(call, `${name}(${inner})`);
}

function withFilterAndOver(call: CallExpression, head: string): string {
  let text = head;
  if (call.filter !== null) text += ` FILTER (WHERE ${printExpression(call.filter)})`;
  if (call.over !== null) {
    text +=
      call.over.kind === "identifier"
        ? ` OVER ${printIdentifier(call.over)}`
        : ` OVER ${printWindowSpec(call.over)}`;
  }
  return text;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

const ARGUMENT_ONLY_KINDS: ReadonlySet<CallArgument["kind"]> = new Set([
  "star-argument",
  "named-argument",
  "table-argument",
  "descriptor-argument",
  "time-unit-argument",
]);

function isExpression(arg: CallArgument): arg is Expression {
  return !ARGUMENT_ONLY_KINDS.has(arg.kind);
}

/** Names of calls the parser reads as special syntax, so a plain call of that name is quoted. */
const SPECIAL_CALLS: ReadonlySet<string> = new Set([
  "TRY_CAST",
  "DESCRIPTOR",
  "POSITION",
  "OVERLAY",
  "SUBSTRING",
  ...JSON_SYNTAX_FUNCTIONS,
]);

/** Reserved function names (COUNT, HOUR) stay bare; other reserved or special names are quoted. */
function printFunctionName(call: CallExpression): string {
  const parts = call.name.parts;
  if (parts.length === 1) {
    const value = parts[0]!.value;
    const upper = value.toUpperCase();
    if (PLAIN.test(value) && isReserved(upper) && isReservedFunctionName(upper) && !SPECIAL_CALLS.has(upper))
      return value;
    return quoteName(value, (u) => SPECIAL_CALLS.has(u));
  }
  return printQualifiedName(call.name);
}

export function printArgument(arg: CallArgument): string {
  switch (arg.kind) {
    case "star-argument":
      return "*";
    case "named-argument":
      return `${PLAIN.test(arg.name.value) ? arg.name.value : quoteName(arg.name.value)} => ${printArgument(arg.value)}`;
    case "table-argument": {
      let text = `TABLE ${printQualifiedName(arg.name)}`;
      if (arg.partitionBy.length > 0) text += ` PARTITION BY (${printIdentifierList(arg.partitionBy)})`;
      if (arg.orderBy.length > 0) text += ` ORDER BY (${printIdentifierList(arg.orderBy)})`;
      return text;
    }
    case "descriptor-argument":
      return `DESCRIPTOR(${printIdentifierList(arg.columns)})`;
    case "time-unit-argument":
      return arg.unit;
    default:
      return printExpression(arg);
  }
}

export function printOrderItem(item: OrderItem): string {
  let text = printExpression(item.expression);
  if (item.direction !== null) text += ` ${item.direction}`;
  if (item.nulls !== null) text += ` NULLS ${item.nulls}`;
  return text;
}

export function printWindowSpec(spec: WindowSpec): string {
  const parts: string[] = [];
  if (spec.base !== null) parts.push(printIdentifier(spec.base));
  if (spec.partitionBy.length > 0)
    parts.push(`PARTITION BY ${spec.partitionBy.map(printExpression).join(", ")}`);
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${spec.orderBy.map(printOrderItem).join(", ")}`);
  if (spec.frame !== null) {
    const { unit, start, end } = spec.frame;
    parts.push(
      end === null
        ? `${unit} ${printBound(start)}`
        : `${unit} BETWEEN ${printBound(start)} AND ${printBound(end)}`,
    );
  }
  return `(${parts.join(" ")})`;
}

function printBound(bound: FrameBound): string {
  switch (bound.kind) {
    case "unbounded-preceding":
      return "UNBOUNDED PRECEDING";
    case "unbounded-following":
      return "UNBOUNDED FOLLOWING";
    case "current-row":
      return "CURRENT ROW";
    case "preceding":
      return `${boundOffset(bound.offset)} PRECEDING`;
    case "following":
      return `${boundOffset(bound.offset)} FOLLOWING`;
  }
}

/** A bound's offset; a bare name is parenthesized so a column called `unbounded` stays a column. */
function boundOffset(offset: Expression): string {
  return offset.kind === "reference" ? `(${printExpression(offset)})` : operand(offset);
}
