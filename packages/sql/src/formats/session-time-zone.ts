/**
 * The session time zone (`table.local-time-zone`) that formats and sinks use to show TIMESTAMP_LTZ
 * values. Flink's default, `default`, means the JVM's zone; here, the process's zone.
 * @module
 */

export const LOCAL_TIME_ZONE_KEY = "table.local-time-zone";

/** The IANA zone the session shows instants in. */
export function sessionTimeZone(config: ReadonlyMap<string, string>): string {
  const zone = config.get(LOCAL_TIME_ZONE_KEY);
  if (zone === undefined || zone === "" || zone.toLowerCase() === "default")
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone;
}
