/**
 * How a Weir Kafka source or sink reaches the cluster, and the translation to the options of the
 * underlying client (@platformatic/kafka). Kept in one place so source, sink and admin helpers
 * connect the same way.
 *
 * Example: `{ bootstrapServers: "127.0.0.1:9092,127.0.0.1:9093", clientId: "orders-job" }`.
 * @module
 */

/** Where the cluster is and how to talk to it. @public */
export interface KafkaClientOptions {
  /** `host:port` list, as one comma-separated string (Kafka's `bootstrap.servers`) or an array. */
  readonly bootstrapServers: string | readonly string[];
  /** The client id shown in broker logs and quotas (default `weir`). */
  readonly clientId?: string;
  /** TCP connect timeout in milliseconds (default 5000). */
  readonly connectTimeoutMs?: number;
  /** Request timeout in milliseconds (default 30000). */
  readonly requestTimeoutMs?: number;
}

/** Only the connection options of `options` (no undefined members). */
export function clientOptionsOf(options: KafkaClientOptions): KafkaClientOptions {
  return {
    bootstrapServers: options.bootstrapServers,
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  };
}

/** Splits and checks `bootstrapServers`; throws naming the bad entry. */
export function bootstrapList(servers: string | readonly string[], where: string): string[] {
  const list = (typeof servers === "string" ? servers.split(",") : [...servers]).map((s) => s.trim());
  const result = list.filter((s) => s !== "");
  if (result.length === 0) throw new Error(`${where}: bootstrapServers is empty`);
  for (const server of result) {
    const colon = server.lastIndexOf(":");
    const port = Number(server.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535)
      throw new Error(`${where}: bootstrap server ${JSON.stringify(server)} is not host:port`);
  }
  return result;
}

/** The base options every @platformatic/kafka client takes. */
export function baseClientOptions(
  options: KafkaClientOptions,
  where: string,
  suffix: string,
): {
  clientId: string;
  bootstrapBrokers: string[];
  connectTimeout: number;
  requestTimeout: number;
} {
  return {
    clientId: `${options.clientId ?? "weir"}-${suffix}`,
    bootstrapBrokers: bootstrapList(options.bootstrapServers, where),
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
  };
}
