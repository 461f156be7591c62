/**
 * `@weir/sql`: Weir's SQL engine. This first part is the Flink SQL lexer and parser: text in, a
 * typed syntax tree with precise spans out, or a {@link SqlSyntaxError} that says where and what
 * was expected. {@link printStatement} and friends turn a tree back into SQL.
 * @module
 */

export type * from "./ast/expressions.ts";
export type * from "./ast/match-recognize.ts";
export type * from "./ast/names.ts";
export type * from "./ast/queries.ts";
export type * from "./ast/span.ts";
export type * from "./ast/statements.ts";
export type * from "./ast/types.ts";
export type * from "./ast/windows.ts";
export { SqlSyntaxError } from "./errors.ts";
export { tokenize } from "./lexer/lexer.ts";
export { isReserved } from "./lexer/reserved-words.ts";
export type { Token, TokenKind } from "./lexer/token.ts";
export { parseDataType, parseExpression, parseQuery, parseStatement, parseStatements } from "./parse.ts";
export { printExpression } from "./printer/expressions.ts";
export { printQuery } from "./printer/queries.ts";
export { printStatement, printStatements } from "./printer/statements.ts";
export { printDataType } from "./printer/types.ts";

// Engine contracts shared by the planner, operators, functions and connectors.
export type * from "./catalog/catalog-table.ts";
export { ConnectorOptionError } from "./connectors/table-connector.ts";
export type * from "./connectors/table-connector.ts";
export type { ChangelogMode, Row, RowData } from "./data/row.ts";
export { formatChangelogMode, INSERT_ONLY, isAccumulate, RETRACT, ROW_KIND_SHORT, RowKind } from "./data/row.ts";
export type { SqlValue } from "./data/values.ts";
export { FunctionTypeError } from "./functions/function-definition.ts";
export type * from "./functions/function-definition.ts";
export type * from "./plan/rex.ts";
export type * from "./session/session-contract.ts";
export { MAX_LENGTH } from "./types/logical-type.ts";
export type {
  ApproximateType,
  ArrayType as LogicalArrayType,
  BinaryType,
  BooleanType,
  CharacterType,
  DateType,
  DecimalType,
  IntegerType,
  IntervalType as LogicalIntervalType,
  LogicalType,
  LogicalTypeKind,
  MapType as LogicalMapType,
  MultisetType as LogicalMultisetType,
  NullType,
  RowField as LogicalRowField,
  RowType as LogicalRowType,
  TimeAttribute,
  TimestampType,
  TimeType,
} from "./types/logical-type.ts";
