/**
 * The event-time temporal join (Flink's TemporalRowTimeJoinOperator): `o JOIN r FOR SYSTEM_TIME
 * AS OF o.ts ON o.k = r.k` joins each left row with the version of the right row (a versioned
 * table: primary key and rowtime) that was valid at the left row's time — the right row of that
 * key with the latest rowtime not after it. Both inputs are keyed by the join key.
 *
 * Left rows wait until the watermark (the minimum over both inputs) reaches their time, so every
 * version up to it has arrived; then they are joined and emitted once, as inserts. Versions: an
 * insert or update-after starts a version, a delete starts a "no row" version, an update-before is
 * ignored (its update-after carries the change).
 *
 * State invariant: after the watermark passes `w`, a key keeps only the left rows later than `w`
 * and the versions that such rows can still see: the latest version at or before `w` (unless it is
 * a deletion) and every later one. A key with nothing left has no state.
 *
 * Worked sequence, rates by currency, watermark = min of both sides:
 * ```text
 * right +I(EUR, 114) @ 10:00     versions [10:00 114]
 * right +U(EUR, 116) @ 10:15     versions [10:00 114, 10:15 116]
 * left  +I(o1, EUR) @ 10:10      pending [o1]
 * watermark 10:20                -> +I(o1, EUR, EUR, 114); versions [10:15 116]
 * ```
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type PartitionedContext,
  StateDeclarations,
  type TwoInputEventTimeStreamProcessFunction,
  type ValueStateDeclaration,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { JoinPredicate } from "../operator-specs.ts";

export interface TemporalJoinSpec {
  readonly joinType: "INNER" | "LEFT";
  /** The left row's rowtime (the `FOR SYSTEM_TIME AS OF` field). */
  readonly leftTimeIndex: number;
  /** The versioned table's rowtime. */
  readonly rightTimeIndex: number;
  readonly rightArity: number;
  /** The join condition beyond the keys, over (left row, right row); null when none. */
  readonly remaining: JoinPredicate | null;
}

interface Version {
  readonly time: number;
  /** Null: the key has no row from `time` on (a deletion). */
  readonly row: Row | null;
}

export class TemporalJoinFunction
  implements TwoInputEventTimeStreamProcessFunction<RowData, RowData, RowData>
{
  readonly #spec: TemporalJoinSpec;
  readonly #left: ValueStateDeclaration<Row[]>;
  readonly #versions: ValueStateDeclaration<Version[]>;
  readonly #nulls: Row;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: TemporalJoinSpec) {
    this.#spec = spec;
    this.#left = StateDeclarations.value<Row[]>("temporal-left");
    this.#versions = StateDeclarations.value<Version[]>("temporal-versions");
    this.#nulls = new Array(spec.rightArity).fill(null);
  }

  usesStates() {
    return [this.#left, this.#versions];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecordFromFirstInput(
    record: RowData,
    _output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error(
        "The left input of an event-time temporal join must be insert-only, but it received an update or delete",
      );
    }
    const time = record.fields[this.#spec.leftTimeIndex];
    if (typeof time !== "number") return; // a NULL time matches no version
    const state = ctx.stateManager.getState(this.#left);
    const pending = state.value() ?? [];
    pending.push(record.fields);
    state.update(pending);
    this.#eventTime?.registerTimer(time);
  }

  processRecordFromSecondInput(
    record: RowData,
    _output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    if (record.kind === RowKind.UPDATE_BEFORE) return;
    const time = record.fields[this.#spec.rightTimeIndex];
    if (typeof time !== "number") return;
    const version: Version = { time, row: record.kind === RowKind.DELETE ? null : record.fields };
    const state = ctx.stateManager.getState(this.#versions);
    const versions = state.value() ?? [];
    // Usually in time order; a late version is placed where it belongs (a later one of equal time
    // wins, as the last change of that instant).
    let at = versions.length;
    while (at > 0 && versions[at - 1]!.time > time) at--;
    versions.splice(at, 0, version);
    state.update(versions);
    // Cleans up older versions once the watermark passes this one.
    this.#eventTime?.registerTimer(time);
  }

  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const leftState = ctx.stateManager.getState(this.#left);
    const versionState = ctx.stateManager.getState(this.#versions);
    const versions = versionState.value() ?? [];
    const pending = leftState.value();
    if (pending !== undefined) {
      const ready: Row[] = [];
      const waiting: Row[] = [];
      for (const row of pending)
        ((row[this.#spec.leftTimeIndex] as number) <= timestamp ? ready : waiting).push(row);
      ready.sort((a, b) => (a[this.#spec.leftTimeIndex] as number) - (b[this.#spec.leftTimeIndex] as number));
      for (const left of ready) this.#emit(left, versions, output);
      if (waiting.length === 0) leftState.clear();
      else leftState.update(waiting);
    }
    // Versions no left row can see any more: all before the latest one at or before the watermark.
    let latest = -1;
    for (let i = 0; i < versions.length && versions[i]!.time <= timestamp; i++) latest = i;
    const from = latest >= 0 && versions[latest]!.row === null ? latest + 1 : Math.max(latest, 0);
    if (from >= versions.length) versionState.clear();
    else if (from > 0) versionState.update(versions.slice(from));
  }

  #emit(left: Row, versions: readonly Version[], output: Collector<RowData>): void {
    const time = left[this.#spec.leftTimeIndex] as number;
    let version: Version | undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      if (versions[i]!.time <= time) {
        version = versions[i];
        break;
      }
    }
    const right = version?.row ?? null;
    if (right !== null && (this.#spec.remaining === null || this.#spec.remaining(left, right))) {
      output.collect({ kind: RowKind.INSERT, fields: [...left, ...right] });
    } else if (this.#spec.joinType === "LEFT") {
      output.collect({ kind: RowKind.INSERT, fields: [...left, ...this.#nulls] });
    }
  }
}
