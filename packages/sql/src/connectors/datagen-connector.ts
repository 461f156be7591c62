/**
 * The `datagen` SQL connector: rows of random or sequential values, as Flink's DataGen connector,
 * plus a Weir option `seed` that makes random values reproducible.
 *
 * ```sql
 * CREATE TABLE orders (id BIGINT, amount DECIMAL(10, 2), who STRING) WITH (
 *   'connector' = 'datagen', 'number-of-rows' = '1000', 'seed' = '42',
 *   'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000',
 *   'fields.amount.min' = '0', 'fields.amount.max' = '99.99', 'fields.who.length' = '8');
 * ```
 * Invariant: row `i` is a function of `(seed, i)`; parallel instances split the index range
 * (instance `k` of `p` makes rows `k, k+p, …`), so the table is the same at every parallelism. The
 * source is bounded when `number-of-rows` is set or any column is a sequence (the shortest wins).
 * @module
 */

import { Sources } from "@weir/api";
import { type RowData, RowKind } from "../data/row.ts";
import { checkTableOptions, OptionReader } from "./connector-options.ts";
import { type FieldGenerator, nullable, randomGenerator, sequenceGenerator } from "./datagen-fields.ts";
import { RowRandom } from "./row-random.ts";
import { ConnectorOptionError, type SourceContext, type TableConnectorFactory } from "./table-connector.ts";

const FIELD_OPTIONS = ["kind", "min", "max", "max-past", "length", "var-len", "start", "end", "null-rate"];

const OPTIONS = {
  required: [],
  optional: [
    "rows-per-second",
    "number-of-rows",
    "scan.parallelism",
    "seed",
    ...FIELD_OPTIONS.map((o) => `fields.#.${o}`),
  ],
};

const DEFAULT_ROWS_PER_SECOND = 10_000;

export const datagenConnector: TableConnectorFactory = {
  identifier: "datagen",
  requiredOptions: OPTIONS.required,
  optionalOptions: OPTIONS.optional,
  createSource(context: SourceContext) {
    const { table, physicalType } = context;
    checkTableOptions("datagen", table, OPTIONS);
    if (context.metadata.length > 0)
      throw new ConnectorOptionError(
        `Table '${table.name}': the 'datagen' connector has no metadata, but metadata key ` +
          `'${context.metadata[0]!.key}' was requested`,
      );
    const reader = new OptionReader(table);
    const rowsPerSecond = reader.number("rows-per-second", DEFAULT_ROWS_PER_SECOND);
    if (rowsPerSecond <= 0)
      throw new ConnectorOptionError(
        `Invalid value for option 'rows-per-second' of table '${table.name}': it must be positive`,
      );
    let count = reader.integer("number-of-rows", undefined, 0);
    const parallelism = reader.integer("scan.parallelism", undefined, 1);
    const seed = reader.integer("seed", undefined) ?? Math.floor(Math.random() * 0x1_0000_0000);

    const generators: FieldGenerator[] = physicalType.fields.map((field) => {
      const get = (option: string) => table.options[`fields.${field.name}.${option}`];
      const fieldOptions = { table: table.name, field: field.name, get };
      const kind = (get("kind") ?? "random").trim().toLowerCase();
      if (kind === "sequence") {
        const sequence = sequenceGenerator(field.type, fieldOptions);
        count = count === undefined ? sequence.count : Math.min(count, sequence.count);
        return sequence.generate;
      }
      if (kind !== "random")
        throw new ConnectorOptionError(
          `Invalid value for option 'fields.${field.name}.kind' of table '${table.name}': '${get("kind")}' ` +
            "(expected random or sequence)",
        );
      const nullRateText = get("null-rate");
      const nullRate = nullRateText === undefined ? 0 : Number(nullRateText);
      if (!(nullRate >= 0 && nullRate <= 1))
        throw new ConnectorOptionError(
          `Invalid value for option 'fields.${field.name}.null-rate' of table '${table.name}': ` +
            `'${nullRateText}' (expected a number from 0 to 1)`,
        );
      return nullable(field.type, randomGenerator(field.type, fieldOptions), nullRate);
    });

    return {
      changelogMode: { kind: "insert-only" },
      bounded: count !== undefined,
      createStream() {
        // Shared by the readers of this copy of the graph: `produce` resets it and draws
        // synchronously, so interleaved readers on one thread never see each other's state.
        const random = new RowRandom(seed);
        const produce = (index: number): RowData => {
          random.reset(index);
          const fields = new Array(generators.length);
          for (let f = 0; f < generators.length; f++) fields[f] = generators[f]!(index, random);
          return { kind: RowKind.INSERT, fields };
        };
        const stream = context.env
          .fromSource(
            Sources.generator(produce, {
              ...(count !== undefined ? { count } : {}),
              recordsPerSecond: rowsPerSecond,
            }),
            `datagen: ${table.name}`,
          )
          .withName(`TableSourceScan(table=[${table.name}])`);
        return parallelism === undefined ? stream : stream.withParallelism(parallelism);
      },
    };
  },
};
