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
