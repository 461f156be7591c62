/**
 * Structured logs of cluster processes: one JSON object per line (`ts`, `level`, `component`,
 * `msg`, plus fields), so log shippers parse them without patterns. Values are serialized by
 * JSON.stringify, never interpolated into a format string.
 *
 * Example: `{"ts":"2026-01-01T00:00:00.000Z","level":"info","component":"jobmanager","msg":"taskmanager registered","taskManager":"tm-1"}`
 * @module
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(component: string, write: (line: string) => void): Logger {
  return (level, msg, fields) =>
    write(`${JSON.stringify({ ts: new Date().toISOString(), level, component, msg, ...fields })}\n`);
}

export const SILENT_LOGGER: Logger = () => {};
