/**
 * The SQL session: runs DDL and client statements against its catalog and configuration, plans
 * job statements (so every error surfaces before a job starts), explains them, and translates them
 * into a DataStream graph. Implements the {@link SqlSessionApi} contract.
 *
 * Invariant: the session is deterministic: replaying the same statements with the same options
 * gives the same catalog, the same plans and the same graph, which is how every worker of a SQL
 * job rebuilds the graph the client planned.
 * @module
 */

import type { ExecutionEnvironment } from "@weir/api";
import { ExecutionMode } from "@weir/api";
import type { Identifier, QualifiedName } from "../ast/names.ts";
import type { Span } from "../ast/span.ts";
import type { CreateFunction, CreateTable, Explain, Insert, Statement } from "../ast/statements.ts";
import {
  DEFAULT_CATALOG,
  DEFAULT_DATABASE,
  qualifiedObjectName,
  SessionCatalog,
} from "../catalog/session-catalog.ts";
import { builtinFunctions, createFunctionCatalog } from "../functions/builtin-catalog.ts";
import type { FunctionCatalog, FunctionDefinition } from "../functions/function-definition.ts";
import { FUNCTION_LANGUAGES, loadedFunction } from "../functions/function-modules.ts";
import { convertQuery } from "../planner/convert-query.ts";
import { resolveCreateTable } from "../planner/create-table.ts";
import { formatLogicalPlan, formatPhysicalPlan } from "../planner/explain-plan.ts";
import { type PlannedJob, planInserts, planSelect } from "../planner/plan-job.ts";
import type { PlannerContext } from "../planner/planner-context.ts";
import { defaultTimeZone } from "../planner/planner-options.ts";
import { SqlValidationError } from "../planner/sql-validation-error.ts";
import { printQuery } from "../printer/queries.ts";
import { translateSink } from "../translate/translate-plan.ts";
import { withoutTimeAttribute } from "../types/type-factory.ts";
import {
  DESCRIBE_COLUMNS,
  describeFields,
  describeTable,
  showCreateTable,
  showCreateView,
} from "./describe-table.ts";
import type {
  SqlSessionApi,
  SqlSessionOptions,
  StatementOutcome,
  TranslatedJob,
} from "./session-contract.ts";

const SUCCEEDED = "Execute statement succeeded.";

export class SqlSession implements SqlSessionApi {
  readonly #catalog = new SessionCatalog();
  readonly #functions: FunctionCatalog;
  readonly #registeredFunctions: readonly string[];
  /** Functions made by CREATE FUNCTION, by upper-case name; they shadow built-ins. */
  readonly #createdFunctions = new Map<
    string,
    { readonly name: string; readonly definition: FunctionDefinition }
  >();
  readonly #initialConfig: ReadonlyMap<string, string>;
  readonly #config: Map<string, string>;
  /** Tables made by CREATE TABLE … AS SELECT, with the statement that made them. */
  readonly #createdByQuery = new Map<string, CreateTable>();

  constructor(options: SqlSessionOptions = {}) {
    const registered = createFunctionCatalog(options.functions);
    this.#functions = {
      lookup: (name) => this.#createdFunctions.get(name.toUpperCase())?.definition ?? registered.lookup(name),
    };
    this.#registeredFunctions = Object.keys(options.functions ?? {});
    this.#initialConfig = new Map(Object.entries(options.config ?? {}));
    this.#config = new Map(this.#initialConfig);
  }

  get config(): ReadonlyMap<string, string> {
    return this.#config;
  }

  /** Names of the functions users added (session options and CREATE FUNCTION), sorted. */
  #userFunctions(): string[] {
    return [...this.#registeredFunctions, ...[...this.#createdFunctions.values()].map((f) => f.name)].sort();
  }

  /** The catalog, for clients that list tables (read-only use). */
  get catalog(): SessionCatalog {
    return this.#catalog;
  }

  #context(): PlannerContext {
    let correlation = 0;
    return {
      catalog: this.#catalog,
      functions: this.#functions,
      functionContext: {
        timeZone: this.#config.get("table.local-time-zone") ?? defaultTimeZone(),
        // The expression compiler finds user functions through this catalog.
        functions: this.#functions,
      },
      config: this.#config,
      nextCorrelationId: () => ++correlation,
    };
  }

  #objectName(name: QualifiedName): string {
    const path = this.#catalog.resolvePath(name.parts.map((p) => p.value));
    if (!path.ok) throw new SqlValidationError(name.span, path.reason);
    return path.name;
  }

  execute(statement: Statement): StatementOutcome {
    switch (statement.kind) {
      case "query": {
        const job = planSelect(statement, this.#context());
        return { kind: "job", schema: job.schema, bounded: job.bounded, jobName: job.jobName };
      }
      case "insert":
      case "statement-set": {
        const job = planInserts(statement, this.#context());
        return { kind: "job", schema: null, bounded: job.bounded, jobName: job.jobName };
      }
      case "create-table": {
        if (statement.asQuery !== null) {
          const job = this.#planCreateTableAs(statement);
          return job === null
            ? { kind: "ok", message: SUCCEEDED }
            : { kind: "job", schema: null, bounded: job.bounded, jobName: job.jobName };
        }
        const name = this.#objectName(statement.name);
        if (this.#catalog.has(name, statement.temporary)) {
          if (statement.ifNotExists) return { kind: "ok", message: SUCCEEDED };
          throw new SqlValidationError(
            statement.name.span,
            statement.temporary
              ? `Temporary table '${quotedIdentifier(name)}' already exists`
              : alreadyExists(name),
          );
        }
        this.#catalog.put(resolveCreateTable(statement, name, this.#context()));
        return { kind: "ok", message: SUCCEEDED };
      }
      case "create-view": {
        const name = this.#objectName(statement.name);
        if (this.#catalog.has(name, statement.temporary)) {
          if (statement.ifNotExists) return { kind: "ok", message: SUCCEEDED };
          throw new SqlValidationError(
            statement.name.span,
            statement.temporary
              ? `Temporary table '${quotedIdentifier(name)}' already exists`
              : alreadyExists(name),
          );
        }
        // Validate now, so a broken view fails at CREATE VIEW, as in Flink.
        const node = convertQuery(statement.query, { ctx: this.#context(), ctes: new Map(), outer: null });
        if (statement.columns.length > 0 && statement.columns.length !== node.fields.length) {
          throw new SqlValidationError(
            statement.span,
            `VIEW definition and input fields not match:\n\tDef fields: [${statement.columns.map((c) => c.value).join(", ")}].\n\tInput fields: [${node.fields.map((f) => f.name).join(", ")}].`,
          );
        }
        this.#catalog.put({
          kind: "view",
          name,
          query: statement.query,
          text: printQuery(statement.query),
          temporary: statement.temporary,
          columns: statement.columns.map((c) => c.value),
        });
        return { kind: "ok", message: SUCCEEDED };
      }
      case "create-function":
        return this.#createFunction(statement);
      case "drop":
        return this.#drop(statement.object, statement.temporary, statement.ifExists, statement.name);
      case "explain":
        return this.#explain(statement);
      case "set": {
        if (statement.option === null) {
          const rows = [...this.#config.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          return { kind: "table", columns: ["key", "value"], rows: rows.map(([k, v]) => [k, v]) };
        }
        this.#config.set(statement.option.key.value, statement.option.value.value);
        return { kind: "ok", message: SUCCEEDED };
      }
      case "reset": {
        if (statement.key === null) {
          this.#config.clear();
          for (const [k, v] of this.#initialConfig) this.#config.set(k, v);
        } else {
          const initial = this.#initialConfig.get(statement.key.value);
          if (initial === undefined) this.#config.delete(statement.key.value);
          else this.#config.set(statement.key.value, initial);
        }
        return { kind: "ok", message: SUCCEEDED };
      }
      case "show":
        return this.#show(statement);
      case "show-create": {
        const name = this.#objectName(statement.name);
        const object = this.#catalog.lookup(name);
        if (object === undefined || object.kind !== (statement.object === "TABLE" ? "table" : "view")) {
          throw new SqlValidationError(
            statement.name.span,
            `Could not execute SHOW CREATE ${statement.object}. ${statement.object === "TABLE" ? "Table" : "View"} with identifier '${qualifiedObjectName(name)}' does not exist.`,
          );
        }
        return {
          kind: "table",
          columns: ["result"],
          rows: [[object.kind === "table" ? showCreateTable(object) : showCreateView(object)]],
        };
      }
      case "describe":
        return this.#describe(statement.name);
      case "use":
        return this.#use(statement.object, statement.names, statement.span);
    }
  }

  translate(statement: Statement, env: ExecutionEnvironment): TranslatedJob {
    let job: PlannedJob | null;
    if (statement.kind === "query") job = planSelect(statement, this.#context());
    else if (statement.kind === "create-table" && statement.asQuery !== null) {
      job = this.#planCreateTableAs(statement);
      if (job === null) return { resultSink: null, schema: null };
    } else if (statement.kind === "insert" || statement.kind === "statement-set")
      job = planInserts(statement, this.#context());
    else
      throw new SqlValidationError(
        statement.span,
        `Only SELECT, INSERT and statement sets run as jobs, not ${statement.kind}`,
      );
    if (job.options.parallelism !== null) env.setParallelism(job.options.parallelism);
    env.setExecutionMode(job.options.runtimeMode === "batch" ? ExecutionMode.BATCH : ExecutionMode.STREAMING);
    const ctx = {
      env,
      config: this.#config,
      functionContext: this.#context().functionContext,
      options: job.options,
    };
    let resultSink: TranslatedJob["resultSink"] = null;
    for (const sink of job.sinks) resultSink = translateSink(sink.physical, ctx) ?? resultSink;
    return { resultSink, schema: job.schema };
  }

  /**
   * `CREATE TABLE t WITH (…) AS SELECT …`: creates `t` with the query's columns, then plans the
   * INSERT that fills it (null when the table exists and IF NOT EXISTS was given). Creating is
   * idempotent per session, so a worker that replays the statement before translating it gets the
   * same table.
   */
  #planCreateTableAs(statement: CreateTable): PlannedJob | null {
    const query = statement.asQuery!;
    const name = this.#objectName(statement.name);
    const existing = this.#catalog.get(name, statement.temporary);
    if (existing !== undefined && this.#createdByQuery.get(name) !== statement) {
      if (statement.ifNotExists) return null;
      throw new SqlValidationError(statement.name.span, alreadyExists(name));
    }
    if (statement.columns.length > 0 || statement.watermarks.length > 0 || statement.primaryKey !== null) {
      throw new SqlValidationError(
        statement.span,
        "CREATE TABLE ... AS SELECT with declared columns, watermark or primary key is not supported yet",
      );
    }
    const node = convertQuery(query, { ctx: this.#context(), ctes: new Map(), outer: null });
    const options: Record<string, string> = {};
    for (const option of statement.options) options[option.key.value] = option.value.value;
    this.#catalog.put({
      kind: "table",
      name,
      columns: node.fields.map((f) => ({
        kind: "physical",
        name: f.name,
        type: withoutTimeAttribute(f.type),
      })),
      watermark: null,
      primaryKey: null,
      partitionKeys: statement.partitionedBy.map((p) => p.value),
      options,
      temporary: statement.temporary,
    });
    this.#createdByQuery.set(name, statement);
    const insert: Insert = {
      kind: "insert",
      overwrite: false,
      target: statement.name,
      hints: [],
      partition: [],
      columns: [],
      query,
      span: statement.span,
    };
    try {
      return planInserts(insert, this.#context());
    } catch (error) {
      this.#catalog.remove(name, statement.temporary);
      this.#createdByQuery.delete(name);
      throw error;
    }
  }

  #explain(statement: Explain): StatementOutcome {
    const inner = statement.statement;
    const job =
      inner.kind === "query" ? planSelect(inner, this.#context()) : planInserts(inner, this.#context());
    const changelog = statement.details.includes("CHANGELOG_MODE");
    const ast = job.sinks
      .map((s) => {
        const text = formatLogicalPlan(s.ast);
        if (s.physical.path === null) return text;
        const sink = `LogicalSink(table=[${s.physical.path.join(".")}], fields=[${s.physical.fields.map((f) => f.name).join(", ")}])`;
        return `${sink}\n${text
          .split("\n")
          .map((line, i) => (i === 0 ? `+- ${line}` : `   ${line}`))
          .join("\n")}`;
      })
      .join("\n\n");
    const physical = job.sinks
      .map((s) => formatPhysicalPlan(s.physical.path === null ? s.physical.input : s.physical, changelog))
      .join("\n\n");
    const text = `== Abstract Syntax Tree ==\n${ast}\n\n== Optimized Physical Plan ==\n${physical}\n`;
    return { kind: "table", columns: ["result"], rows: [[text]] };
  }

  /** CREATE [TEMPORARY] FUNCTION name AS 'module#export' LANGUAGE TYPESCRIPT. */
  #createFunction(statement: CreateFunction): StatementOutcome {
    const name = statement.name.parts.at(-1)!.value;
    const language = statement.language ?? "JAVA";
    if (!(FUNCTION_LANGUAGES as readonly string[]).includes(language)) {
      throw new SqlValidationError(
        statement.span,
        `LANGUAGE ${language} is not supported: Weir runs functions written in TypeScript or JavaScript. ` +
          `Write CREATE FUNCTION ${name} AS 'module#export' LANGUAGE TYPESCRIPT`,
      );
    }
    const key = name.toUpperCase();
    if (this.#createdFunctions.has(key)) {
      if (statement.ifNotExists) return { kind: "ok", message: SUCCEEDED };
      throw new SqlValidationError(statement.name.span, `Function ${name} already exists`);
    }
    let definition: FunctionDefinition;
    try {
      definition = loadedFunction(statement.identifier.value);
    } catch (error) {
      throw new SqlValidationError(statement.identifier.span, (error as Error).message);
    }
    this.#createdFunctions.set(key, { name, definition: { ...definition, name: key } as FunctionDefinition });
    return { kind: "ok", message: SUCCEEDED };
  }

  #drop(
    object: "TABLE" | "VIEW" | "FUNCTION",
    temporary: boolean,
    ifExists: boolean,
    qualified: QualifiedName,
  ): StatementOutcome {
    if (object === "FUNCTION") {
      if (this.#createdFunctions.delete(qualified.parts.at(-1)!.value.toUpperCase())) {
        return { kind: "ok", message: SUCCEEDED };
      }
      if (ifExists) return { kind: "ok", message: SUCCEEDED };
      throw new SqlValidationError(
        qualified.span,
        `Function ${qualified.parts.map((p) => p.value).join(".")} doesn't exist `,
      );
    }
    const name = this.#objectName(qualified);
    const kind = object === "TABLE" ? "table" : "view";
    const stored = this.#catalog.get(name, temporary);
    const shadowing = temporary ? undefined : this.#catalog.get(name, true);
    if (stored !== undefined && shadowing !== undefined && shadowing.kind === stored.kind) {
      const label = stored.kind === "table" ? "table" : "view";
      throw new SqlValidationError(
        qualified.span,
        `Temporary ${label} with identifier '${quotedIdentifier(name)}' exists. Drop it first before removing the permanent ${label}.`,
      );
    }
    if (stored === undefined || stored.kind !== kind) {
      if (ifExists) return { kind: "ok", message: SUCCEEDED };
      const label = object === "TABLE" ? "Table" : "View";
      throw new SqlValidationError(
        qualified.span,
        `${temporary ? `Temporary ${label.toLowerCase()}` : label} with identifier '${qualifiedObjectName(name)}' does not exist.`,
      );
    }
    this.#catalog.remove(name, temporary);
    return { kind: "ok", message: SUCCEEDED };
  }

  #show(statement: Extract<Statement, { kind: "show" }>): StatementOutcome {
    const like = statement.like;
    const matches = (name: string): boolean => {
      if (like === null) return true;
      const pattern = new RegExp(
        `^${like.pattern.value
          .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
          .replaceAll("%", ".*")
          .replaceAll("_", ".")}$`,
        "s",
      );
      return pattern.test(name) !== like.negated;
    };
    const single = (column: string, values: readonly string[]): StatementOutcome => ({
      kind: "table",
      columns: [column],
      rows: values.filter(matches).map((v) => [v]),
    });
    switch (statement.object) {
      case "TABLES":
        return single("table name", this.#catalog.names("any"));
      case "VIEWS":
        return single("view name", this.#catalog.names("view"));
      case "FUNCTIONS": {
        // Operators (`+`, `IS NULL`, …) are not functions one can name; Flink lists only names.
        const builtins = [...builtinFunctions().keys()].filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n));
        return single("function name", [...new Set([...this.#userFunctions(), ...builtins])].sort());
      }
      case "USER FUNCTIONS":
        return single("function name", this.#userFunctions());
      case "CATALOGS":
        return single("catalog name", ["default_catalog"]);
      case "DATABASES":
        return single("database name", ["default_database"]);
      case "CURRENT CATALOG":
        return single("current catalog name", ["default_catalog"]);
      case "CURRENT DATABASE":
        return single("current database name", ["default_database"]);
      case "COLUMNS": {
        const described = this.#describe(statement.from!);
        if (described.kind !== "table") return described;
        return { ...described, rows: described.rows.filter((r) => matches(r[0]!)) };
      }
      case "MODULES":
        return single("module name", ["core"]);
      case "FULL MODULES":
        return { kind: "table", columns: ["module name", "used"], rows: [["core", "true"]] };
      case "JARS":
        return single("jars", []);
    }
  }

  #describe(qualified: QualifiedName): StatementOutcome {
    const name = this.#objectName(qualified);
    const object = this.#catalog.lookup(name);
    if (object === undefined) {
      throw new SqlValidationError(
        qualified.span,
        `Tables or views with the identifier '${qualifiedObjectName(name)}' doesn't exist.`,
      );
    }
    const ctx = this.#context();
    if (object.kind === "view") {
      const node = convertQuery(object.query, { ctx, ctes: new Map(), outer: null });
      const fields = node.fields.map((f, i) => ({ name: object.columns?.[i] ?? f.name, type: f.type }));
      return { kind: "table", columns: [...DESCRIBE_COLUMNS], rows: describeFields(fields) };
    }
    // Time attributes appear in the declared types only after the watermark is applied.
    const rowtime = object.watermark?.column ?? null;
    const fields = object.columns.map((c) => ({
      name: c.name,
      type:
        c.name === rowtime && (c.type.kind === "TIMESTAMP" || c.type.kind === "TIMESTAMP_LTZ")
          ? { ...c.type, timeAttribute: "rowtime" as const }
          : c.type,
    }));
    return { kind: "table", columns: [...DESCRIBE_COLUMNS], rows: describeTable(object, fields) };
  }

  #use(
    object: "DATABASE" | "CATALOG" | "MODULES",
    names: readonly QualifiedName[],
    span: Span,
  ): StatementOutcome {
    const name = names[0]?.parts.map((p: Identifier) => p.value).join(".") ?? "";
    const ok =
      (object === "DATABASE" &&
        (name === "default_database" || name === "default_catalog.default_database")) ||
      (object === "CATALOG" && name === "default_catalog") ||
      (object === "MODULES" && name === "core");
    if (!ok) {
      throw new SqlValidationError(
        span,
        object === "CATALOG"
          ? `A catalog with name [${name}] does not exist.`
          : object === "DATABASE"
            ? `A database with name [${name}] does not exist in the catalog: [default_catalog].`
            : `Module ${name} does not exist`,
      );
    }
    return { kind: "ok", message: SUCCEEDED };
  }
}

/** Flink's identifier form in catalog messages: `` `default_catalog`.`default_database`.`t` ``. */
function quotedIdentifier(name: string): string {
  return `\`${DEFAULT_CATALOG}\`.\`${DEFAULT_DATABASE}\`.\`${name}\``;
}

/** Flink's cause when CREATE TABLE / VIEW meets an existing permanent object. */
function alreadyExists(name: string): string {
  return `Table (or view) ${DEFAULT_DATABASE}.${name} already exists in Catalog ${DEFAULT_CATALOG}.`;
}
