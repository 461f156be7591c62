/**
 * A real single-node Apache Kafka broker (KRaft: one process that is both broker and controller)
 * for tests, run from the Apache Kafka jars on Maven Central.
 *
 * - The jars are fetched once with `mvn dependency:copy-dependencies` into
 *   `~/.cache/weir/kafka-<version>/libs` (override the root with WEIR_CACHE_DIR) and reused.
 * - Each broker gets a fresh temporary data directory and free loopback ports; it is formatted with
 *   `kafka.tools.StorageTool` and started with `kafka.Kafka`, then awaited until it answers a
 *   metadata request naming itself. `stop()` kills it and removes the data directory.
 * - Invariant: a missing `java` or `mvn` is an error with a clear message, never a skipped test.
 *
 * Lives in the connector package (subpath `@weir/connector-kafka/testing`) so that the integration
 * tests and the benchmarks start brokers the same way.
 *
 * Example (one broker per test file):
 * ```ts
 * const broker = await startKafkaBroker();
 * after(() => broker.stop());
 * const admin = new Admin({ clientId: "t", bootstrapBrokers: [broker.bootstrapServers] });
 * ```
 * @module
 */

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Admin } from "@platformatic/kafka";

const run = promisify(execFile);

/** The Kafka release the tests run against (in the range @platformatic/kafka is tested with). */
export const KAFKA_VERSION = "4.2.1";
/** The log4j of that release, for its SLF4J binding (the broker's log lines come with failures). */
const LOG4J_VERSION = "2.25.4";

export interface KafkaBroker {
  /** `host:port` of the PLAINTEXT listener. */
  readonly bootstrapServers: string;
  readonly port: number;
  /** The broker's output so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
  /** Kills the broker at once (for `process.on("exit")`, where nothing can be awaited). */
  killNow(): void;
}

export interface KafkaBrokerOptions {
  /** Extra `server.properties` entries. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Log levels by logger name, e.g. `{ "kafka.coordinator.transaction": "DEBUG" }` (default: WARN for all). */
  readonly logLevels?: Readonly<Record<string, string>>;
  /**
   * Lets this process exit while the broker runs (its child process and pipes no longer hold the
   * event loop); pair with `killNow()` in a `process.on("exit")` handler. Default false.
   */
  readonly unref?: boolean;
  /** How long to wait for the broker to answer (default 60 s). */
  readonly startTimeoutMs?: number;
}

async function requireTool(tool: string, args: readonly string[]): Promise<void> {
  try {
    await run(tool, [...args], { timeout: 30_000 });
  } catch (error) {
    throw new Error(
      `the Kafka tests need ${tool} (Java 17 and Maven start a real broker from Maven Central's jars), ` +
        `but \`${tool} ${args.join(" ")}\` failed: ${(error as Error).message}`,
    );
  }
}

/** The broker's classpath: the jars of `kafka_2.13` and their runtime dependencies, fetched once. */
export async function kafkaClasspath(version = KAFKA_VERSION): Promise<string> {
  const root = process.env.WEIR_CACHE_DIR ?? join(homedir(), ".cache", "weir");
  const dir = join(root, `kafka-${version}`);
  const libs = join(dir, "libs");
  // Names the dependency set, so a changed pom fetches again.
  const done = join(dir, `libs-log4j-${LOG4J_VERSION}.complete`);
  if (!existsSync(done)) {
    await requireTool("java", ["-version"]);
    await requireTool("mvn", ["-v"]);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "pom.xml"),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.weir.tests</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>${LOG4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`,
    );
    try {
      await run(
        "mvn",
        [
          "-q",
          "-B",
          "-f",
          join(dir, "pom.xml"),
          "dependency:copy-dependencies",
          `-DoutputDirectory=${libs}`,
          "-DincludeScope=runtime",
        ],
        { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (error) {
      const e = error as Error & { stdout?: string; stderr?: string };
      throw new Error(
        `fetching the Kafka ${version} jars with Maven failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`,
      );
    }
    writeFileSync(done, new Date().toISOString());
  }
  const jars = readdirSync(libs).filter((f) => f.endsWith(".jar"));
  if (!jars.some((j) => j.startsWith("kafka_2.13-")))
    throw new Error(`${libs} has no kafka_2.13 jar: delete ${dir} to fetch the jars again`);
  return jars.map((j) => join(libs, j)).join(":");
}

/** A free loopback TCP port (taken and released at once; the broker binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === "string") reject(new Error("no port"));
        else resolve(address.port);
      });
    });
  });
}

const JVM_OPTIONS = ["-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"];

async function waitUntilReady(
  bootstrap: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the Kafka broker exited with code ${child.exitCode}:\n${output()}`);
    const admin = new Admin({
      clientId: "weir-test-ready",
      bootstrapBrokers: [bootstrap],
      retries: 0,
      connectTimeout: 1_000,
      timeout: 2_000,
    });
    try {
      const metadata = await admin.metadata({ topics: [] });
      if (metadata.brokers.size > 0) return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.close().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error(
    `the Kafka broker did not answer on ${bootstrap} within ${timeoutMs} ms ` +
      `(${(lastError as Error | undefined)?.message ?? "no error"}):\n${output()}`,
  );
}

/** Starts a fresh single-node KRaft broker on free loopback ports and waits until it serves. */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const classpath = await kafkaClasspath();
  const dataDir = mkdtempSync(join(tmpdir(), "weir-kafka-"));
  const port = await freePort();
  const controllerPort = await freePort();
  const properties: Record<string, string> = {
    "process.roles": "broker,controller",
    "node.id": "1",
    "controller.quorum.voters": `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    "advertised.listeners": `PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names": "CONTROLLER",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name": "PLAINTEXT",
    "log.dirs": join(dataDir, "logs"),
    "num.partitions": "1",
    "offsets.topic.replication.factor": "1",
    "offsets.topic.num.partitions": "1",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "transaction.state.log.num.partitions": "1",
    "group.initial.rebalance.delay.ms": "0",
    "auto.create.topics.enable": "false",
    // Aborted/committed markers become visible to read_committed readers without delay.
    "transaction.abort.timed.out.transaction.cleanup.interval.ms": "1000",
    ...options.properties,
  };
  const configFile = join(dataDir, "server.properties");
  writeFileSync(
    configFile,
    `${Object.entries(properties)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  const log4j = join(dataDir, "log4j2.properties");
  writeFileSync(
    log4j,
    [
      "rootLogger.level = WARN",
      "rootLogger.appenderRef.out.ref = OUT",
      "appender.out.type = Console",
      "appender.out.name = OUT",
      "appender.out.layout.type = PatternLayout",
      "appender.out.layout.pattern = [%d{HH:mm:ss.SSS}] %p %c{1}: %m%n",
      ...Object.entries(options.logLevels ?? {}).flatMap(([logger, level], i) => [
        `logger.l${i}.name = ${logger}`,
        `logger.l${i}.level = ${level}`,
      ]),
      "",
    ].join("\n"),
  );
  const java = ["-cp", classpath, `-Dlog4j2.configurationFile=${log4j}`, ...JVM_OPTIONS];
  try {
    await run(
      "java",
      [...java, "kafka.tools.StorageTool", "format", `--cluster-id=${randomClusterId()}`, "-c", configFile],
      {
        timeout: 60_000,
      },
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`formatting the Kafka storage failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
  const child = spawn("java", [...java, "kafka.Kafka", configFile], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const bootstrapServers = `127.0.0.1:${port}`;
  if (options.unref === true) {
    child.unref();
    for (const stream of [child.stdout, child.stderr])
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  try {
    await waitUntilReady(bootstrapServers, child, () => output, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    bootstrapServers,
    port,
    log: () => output,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null) child.kill("SIGKILL");
        await exited;
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
    killNow() {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (22 characters). It may
 * start with "-", so it is passed as `--cluster-id=<id>`, never as a separate argument.
 */
function randomClusterId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64url");
}
