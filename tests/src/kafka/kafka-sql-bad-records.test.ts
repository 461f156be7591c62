/**
 * The bad-record policy of the `kafka` SQL table, per value format, on a real broker: each topic
 * holds good records and malformed ones (invalid JSON, a CSV field that is no number, truncated
 * Avro, invalid UTF-8 for raw, a broken Debezium envelope, a broken or unknown-type Canal event).
 * `fail` (the default) stops the query naming topic, partition and offset; `drop`
 * ('bad-records.policy' or Flink's `<format>.ignore-parse-errors`) returns the good rows;
 * `dead-letter` returns them too and writes each malformed record, with its position and the
 * format's error, to the dead-letter topic.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KafkaDeadLetter } from "@weir/connector-kafka";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { createRecordEncoder, type LogicalRowType, RowKind } from "@weir/sql";
import { runSqlScript } from "weir/sql-runner";
import { createTopic, produce, readAll } from "./support/kafka-data.ts";

let broker: KafkaBroker;
let servers: string;

const ROW_TYPE = {
  kind: "ROW",
  nullable: false,
  fields: [
    { name: "id", type: { kind: "INT", nullable: true } },
    { name: "name", type: { kind: "VARCHAR", nullable: true, length: 2147483647 } },
  ],
} as unknown as LogicalRowType;

const avro = createRecordEncoder("avro", ROW_TYPE, {});
const avroOf = (id: number, name: string) =>
  Buffer.from(avro.encode({ kind: RowKind.INSERT, fields: [id, name] }));

/** Per format: the records of its topic (in partition 0, in order) and the offsets that are malformed. */
const FORMATS: Record<
  string,
  { readonly values: readonly (string | Buffer)[]; readonly bad: readonly number[] }
> = {
  json: {
    values: [JSON.stringify({ id: 1, name: "a" }), "{broken", JSON.stringify({ id: 3, name: "c" })],
    bad: [1],
  },
  csv: { values: ["1,a", "two,b", "3,c", '4,"unterminated'], bad: [1, 3] },
  avro: { values: [avroOf(1, "a"), Buffer.from([0x02]), avroOf(3, "c")], bad: [1] },
  raw: { values: ["a", Buffer.from([0xff, 0xfe]), "c"], bad: [1] },
  "debezium-json": {
    values: [
      JSON.stringify({ before: null, after: { id: 1, name: "a" }, op: "c" }),
      '{"before": null, "after": {"id": 2',
      JSON.stringify({ before: null, after: { id: 3, name: "c" }, op: "c" }),
    ],
    bad: [1],
  },
  "canal-json": {
    values: [
      JSON.stringify({ data: [{ id: 1, name: "a" }], type: "INSERT", database: "shop", table: "t" }),
      '{"data": [{"id": 2, "name": "b"}], "type": "INS',
      JSON.stringify({ data: [{ id: 3, name: "c" }], type: "INSERT", database: "shop", table: "t" }),
      // Well-formed JSON, but no Canal event: the format refuses the type, so the policy applies.
      JSON.stringify({ data: [{ id: 4, name: "d" }], type: "MERGE", database: "shop", table: "t" }),
    ],
    bad: [1, 3],
  },
};

/** The good rows of each format's topic, as a SELECT returns them. */
const GOOD: Record<string, readonly string[]> = {
  json: ["1:a", "3:c"],
  csv: ["1:a", "3:c"],
  avro: ["1:a", "3:c"],
  raw: ["a", "c"],
  "debezium-json": ["1:a", "3:c"],
  "canal-json": ["1:a", "3:c"],
};

before(async () => {
  broker = await startKafkaBroker();
  servers = broker.bootstrapServers;
  for (const [format, { values }] of Object.entries(FORMATS)) {
    await createTopic(servers, `bad-${format}`, 1);
    await createTopic(servers, `dlq-${format}`, 1);
    await produce(
      servers,
      `bad-${format}`,
      values.map((value) => ({ value, partition: 0 })),
    );
  }
});
after(async () => {
  await broker?.stop();
});

function tableOf(format: string, extra: string): string {
  const columns = format === "raw" ? "name STRING" : "id INT, name STRING";
  return `CREATE TABLE t (${columns}) WITH (
  'connector' = 'kafka', 'topic' = 'bad-${format}', 'properties.bootstrap.servers' = '${servers}',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = '${format}'${extra}
);`;
}

async function select(format: string, extra: string): Promise<string[]> {
  const query = format === "raw" ? "SELECT name FROM t;" : "SELECT id, name FROM t;";
  const { results } = await runSqlScript(`${tableOf(format, extra)}\n${query}`);
  const rows = (results.at(-1) as unknown as { rows: { id?: number; name: string }[] }).rows;
  return rows.map((r) => (r.id === undefined ? r.name : `${r.id}:${r.name}`)).sort();
}

for (const format of Object.keys(FORMATS)) {
  const { bad } = FORMATS[format]!;

  test(`${format}: fail (the default) names topic, partition and offset of the first bad record`, async () => {
    await assert.rejects(
      select(format, ""),
      new RegExp(`cannot deserialize the record at topic bad-${format} partition 0 offset ${bad[0]}: `),
    );
  });

  test(`${format}: 'bad-records.policy' = 'drop' returns the good rows`, async () => {
    assert.deepEqual(await select(format, ",\n  'bad-records.policy' = 'drop'"), GOOD[format]);
  });

  if (format !== "raw")
    test(`${format}: '${format}.ignore-parse-errors' = 'true' is the drop policy, lenient as in Flink`, async () => {
      // CSV sets a field it cannot parse to NULL and keeps the row, as Flink does; whole records
      // it cannot read are dropped.
      const expected = format === "csv" ? [...GOOD.csv!, "null:b"] : GOOD[format];
      assert.deepEqual(await select(format, `,\n  '${format}.ignore-parse-errors' = 'true'`), expected);
    });

  test(`${format}: dead-letter writes each bad record with its position and error to the dead-letter topic`, async () => {
    const rows = await select(
      format,
      `,\n  'bad-records.policy' = 'dead-letter', 'bad-records.dead-letter.topic' = 'dlq-${format}'`,
    );
    assert.deepEqual(rows, GOOD[format]);
    const letters = (await readAll(servers, `dlq-${format}`, "read_uncommitted")).map(
      (r) => JSON.parse(r.value!) as KafkaDeadLetter,
    );
    assert.deepEqual(
      letters.map((l) => [l.topic, l.partition, l.offset]),
      bad.map((offset) => [`bad-${format}`, 0, offset]),
    );
    for (const letter of letters) {
      const original = FORMATS[format]!.values[letter.offset]!;
      assert.equal(letter.valueBase64, Buffer.from(original).toString("base64"), "the exact bytes are kept");
      assert.ok(letter.error.length > 0, "the format's error is kept");
    }
  });
}
