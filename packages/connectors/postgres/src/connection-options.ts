/**
 * Where a connector connects: host, port, credentials and database, from explicit fields or a
 * JDBC-style URL (`jdbc:postgresql://host:5432/db`, `jdbc:mysql://…`, `jdbc:mariadb://…`, or the
 * drivers' own `postgres://user:pw@host/db` / `mysql://…`).
 *
 * Invariant: connection options are plain data (they travel to every worker inside the job's
 * sources and sinks); every session the connectors open uses UTC and ISO date output, so values
 * read and written do not depend on server defaults.
 * @module
 */

/** Which database family a URL points at. */
export type DatabaseSystem = "postgres" | "mysql";

export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
}

/** Session settings every Postgres connection of the connectors uses (see text-value-decoder.ts). */
export const POSTGRES_SESSION_OPTIONS =
  "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex -c extra_float_digits=3 -c IntervalStyle=postgres";

/** Parses a JDBC-style URL; throws naming the URL when it is not one. */
export function parseJdbcUrl(url: string): { system: DatabaseSystem; options: ConnectionOptions } {
  const m = /^(?:jdbc:)?(postgresql|postgres|mysql|mariadb):\/\/(.*)$/i.exec(url.trim());
  if (m === null)
    throw new Error(
      `unsupported database URL ${JSON.stringify(url)}: expected jdbc:postgresql://host[:port]/database, jdbc:mysql://… or jdbc:mariadb://…`,
    );
  const scheme = m[1]!.toLowerCase();
  const system: DatabaseSystem = scheme.startsWith("postgres") ? "postgres" : "mysql";
  let parsed: URL;
  try {
    parsed = new URL(`db://${m[2]}`);
  } catch {
    throw new Error(`invalid database URL ${JSON.stringify(url)}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (database === "") throw new Error(`database URL ${JSON.stringify(url)} names no database (…/database)`);
  const user =
    decodeURIComponent(parsed.username) ||
    parsed.searchParams.get("user") ||
    (system === "postgres" ? "postgres" : "root");
  const password = decodeURIComponent(parsed.password) || parsed.searchParams.get("password") || undefined;
  return {
    system,
    options: {
      host: parsed.hostname || "127.0.0.1",
      port: parsed.port === "" ? (system === "postgres" ? 5432 : 3306) : Number(parsed.port),
      user,
      ...(password === undefined ? {} : { password }),
      database,
    },
  };
}

/** `schema.table` or `table` (schema `defaultSchema`), each part optionally double-quoted. */
export function parseTableName(name: string, defaultSchema: string): { schema: string; table: string } {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/y;
  let index = 0;
  while (index < name.length) {
    re.lastIndex = index;
    const m = re.exec(name);
    if (m === null) throw new Error(`invalid table name ${JSON.stringify(name)}`);
    parts.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]!);
    index = re.lastIndex;
    if (m[3] === "") break;
  }
  if (parts.length === 1) return { schema: defaultSchema, table: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, table: parts[1]! };
  throw new Error(`invalid table name ${JSON.stringify(name)}: expected table or schema.table`);
}

/** Double-quotes a Postgres identifier. */
export function quotePg(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** Back-quotes a MySQL identifier. */
export function quoteMysql(identifier: string): string {
  return `\`${identifier.replaceAll("`", "``")}\``;
}
