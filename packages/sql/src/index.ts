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
// Engine contracts shared by the planner, operators, functions and connectors.
export type * from "./catalog/catalog-table.ts";
// Planner part: validation errors, the session's catalog names, plan types for tools and tests.
export { DEFAULT_CATALOG, DEFAULT_DATABASE } from "./catalog/session-catalog.ts";
// client-connectors part: SQL connector contract and registry, row formats, client helpers, SQL
// job module. Also the row and type names every connector package needs (`Row`, `RowData`, ...).
export {
  ChangelogError,
  ChangelogMaterializer,
  materializeChangelog,
} from "./client/changelog-materializer.ts";
export { rowToCells, rowToJsonObject } from "./client/result-values.ts";
export { displayWidth, receivedSummary, renderTableau, rowsInSetSummary } from "./client/tableau.ts";
export {
  BAD_RECORDS_POLICY_OPTION,
  type BadRecordOptionSpec,
  type BadRecordOptions,
  readBadRecordOptions,
} from "./connectors/bad-record-options.ts";
export {
  checkTableOptions,
  OptionReader,
  type OptionSpec,
  parseDurationMs,
} from "./connectors/connector-options.ts";
export {
  connectorModuleOf,
  findTableConnector,
  getLoadedTableConnector,
  loadTableConnectors,
  registerTableConnector,
} from "./connectors/connector-registry.ts";
export type * from "./connectors/table-connector.ts";
export { ConnectorOptionError } from "./connectors/table-connector.ts";
// Types-functions part: SQL types and values, built-in and user-defined functions, the expression compiler.
export { castValue, tryCastValue } from "./data/cast-value.ts";
export { comparatorFor, groupKeyOf } from "./data/compare-values.ts";
export { formatValue } from "./data/format-value.ts";
export { fromJsonValue, toJsonValue } from "./data/json-value.ts";
export type { ChangelogMode, Row, RowData } from "./data/row.ts";
export {
  formatChangelogMode,
  INSERT_ONLY,
  isAccumulate,
  RETRACT,
  ROW_KIND_SHORT,
  RowKind,
} from "./data/row.ts";
export { SqlRuntimeError } from "./data/sql-runtime-error.ts";
export {
  timestampNanosOf,
  timestampValueFromMillis,
  timestampValueFromNanos,
} from "./data/timestamp-nanos.ts";
export type { SqlValue } from "./data/values.ts";
export { SqlSyntaxError } from "./errors.ts";
// Operators part: SQL runtime operators over changelog rows (packages/sql/src/exec).
export { CalcFunction } from "./exec/calc-function.ts";
export { ChangelogNormalizeFunction } from "./exec/changelog-normalize-function.ts";
export { DeduplicateFunction } from "./exec/deduplicate-function.ts";
export { GlobalGroupAggregateFunction } from "./exec/global-group-aggregate-function.ts";
export { AggregateSetupError } from "./exec/group-accumulators.ts";
export { GroupAggregateFunction } from "./exec/group-aggregate-function.ts";
export { JoinFunction } from "./exec/join-function.ts";
export { GLOBAL_KEY, keySelectorFor } from "./exec/key-selector.ts";
export { LocalGroupAggregateFunction, partialKeyIndices } from "./exec/local-group-aggregate-function.ts";
// Lookup joins (issue 6, temporal/lookup part): the key and cache helpers connectors use.
export {
  LOOKUP_CACHE_OPTIONS,
  lookupCacheOptions,
  type PartialCacheOptions,
  PartialLookupCache,
} from "./exec/lookup/lookup-cache.ts";
export { type LookupMapKey, lookupMapKey } from "./exec/lookup/lookup-key.ts";
export type * from "./exec/operator-specs.ts";
export { RankFunction } from "./exec/rank-function.ts";
export { SetOperationFunction } from "./exec/set-operation-function.ts";
export { SortLimitFunction } from "./exec/sort-limit-function.ts";
export {
  compileJoinPredicate,
  compilePredicate,
  compileProjection,
  compileScalar,
} from "./expressions/compile-expression.ts";
// nats part (issue 8): record formats for message connectors — changelog (debezium-json,
// canal-json) and avro formats, plus every row format as UTF-8 messages.
export { avroSchemaFor } from "./formats/avro-format.ts";
export type { RecordDecoder, RecordEncoder, RecordFormatFactory } from "./formats/record-format.ts";
export {
  createRecordDecoder,
  createRecordEncoder,
  findRecordFormat,
  recordFormatIdentifiers,
  recordFormatOptionKeys,
} from "./formats/record-formats.ts";
export {
  FormatError,
  type RowDeserializer,
  type RowFormatContext,
  type RowFormatFactory,
  type RowSerializer,
} from "./formats/row-format.ts";
export {
  createRowDeserializer,
  createRowSerializer,
  findRowFormat,
  formatOptionKeys,
  rowFormatIdentifiers,
} from "./formats/row-formats.ts";
export { LOCAL_TIME_ZONE_KEY, sessionTimeZone } from "./formats/session-time-zone.ts";
export { textToValue, valueToText } from "./formats/text-value.ts";
export { createFunctionCatalog } from "./functions/builtin-catalog.ts";
export type * from "./functions/function-definition.ts";
export { FunctionTypeError } from "./functions/function-definition.ts";
export { aggregateFunction, scalarFunction, tableFunction } from "./functions/user-functions.ts";
export { type ClusterScriptJob, planClusterScript } from "./job/cluster-script.ts";
export {
  changesSession,
  connectorIdentifiersOf,
  isJobStatement,
  loadStatementDependencies,
  type ParsedScript,
  parseScriptPrefix,
} from "./job/script-statements.ts";
export { discardResultSink, SQL_JOB_MODULE, type SqlJobParams, takeResultSink } from "./job/sql-job.ts";
export { tokenize } from "./lexer/lexer.ts";
export { isReserved } from "./lexer/reserved-words.ts";
export type { Token, TokenKind } from "./lexer/token.ts";
export { parseDataType, parseExpression, parseQuery, parseStatement, parseStatements } from "./parse.ts";
export type * from "./plan/rex.ts";
export { SqlValidationError } from "./planner/sql-validation-error.ts";
export { printExpression } from "./printer/expressions.ts";
export { printQuery } from "./printer/queries.ts";
export { printStatement, printStatements } from "./printer/statements.ts";
export { printDataType } from "./printer/types.ts";
export type * from "./session/session-contract.ts";
// The session class, for clients (agreed name of the planner part; exported here for `weir sql`).
export { SqlSession } from "./session/sql-session.ts";
export { formatLogicalType } from "./types/format-type.ts";
export { logicalTypeFromAst } from "./types/from-ast.ts";
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
export { MAX_LENGTH } from "./types/logical-type.ts";
export { LogicalTypeError } from "./types/logical-type-error.ts";
export { LogicalTypes, withNullability } from "./types/type-factory.ts";
