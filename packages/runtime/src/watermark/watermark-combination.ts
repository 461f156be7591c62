/**
 * Combines generalized watermarks across N inputs (the channels of an input gate, or the two
 * inputs of a two-input operator), per identifier, as FLIP-467 defines: MIN/MAX/AND/OR over the
 * latest value of every input that is still active, optionally only once all have reported. An
 * input that ended stops taking part. A combined value is reported only when it changes.
 *
 * Event time is special in one way, as in Flink: an input whose idle-status watermark is `true`
 * does not hold back the event-time watermark (idle sources must not stall the job), and an input
 * that resumes below the event time already emitted is ignored until it catches up, so event time
 * never goes back. An input counts as active until it reports itself idle.
 * @module
 */

import type { Watermark, WatermarkDeclaration } from "@weir/api";

/** Identifiers of the event-time extension's two watermarks; see `EventTimeExtension`. */
export const EVENT_TIME_WATERMARK = "BUILTIN_API_EVENT_TIME";
export const IDLE_STATUS_WATERMARK = "BUILTIN_API_EVENT_TIME_IDLE";

class Combiner {
  readonly declaration: WatermarkDeclaration;
  readonly values: (number | boolean | undefined)[];
  last: number | boolean | undefined;

  constructor(declaration: WatermarkDeclaration, inputs: number) {
    this.declaration = declaration;
    // An input that never said it is idle is active.
    this.values = new Array(inputs).fill(
      declaration.identifier === IDLE_STATUS_WATERMARK ? false : undefined,
    );
  }

  /** The combined value over active, non-excluded inputs; undefined when there is none yet. */
  combine(active: readonly boolean[], excluded: (input: number) => boolean): number | boolean | undefined {
    const d = this.declaration;
    let result: number | boolean | undefined;
    let any = false;
    for (let i = 0; i < this.values.length; i++) {
      if (!active[i] || excluded(i)) continue;
      const value = this.values[i];
      if (value === undefined) {
        if (d.waitForAllChannels) return undefined;
        continue;
      }
      if (!any) {
        result = value;
        any = true;
      } else if (d.kind === "numeric") {
        result =
          d.combine === "MIN"
            ? Math.min(result as number, value as number)
            : Math.max(result as number, value as number);
      } else {
        result =
          d.combine === "AND"
            ? (result as boolean) && (value as boolean)
            : (result as boolean) || (value as boolean);
      }
    }
    return result;
  }
}

export class WatermarkCombination {
  readonly #declarations: ReadonlyMap<string, WatermarkDeclaration>;
  readonly #inputs: number;
  readonly #active: boolean[];
  readonly #combiners = new Map<string, Combiner>();

  constructor(declarations: ReadonlyMap<string, WatermarkDeclaration>, inputs: number) {
    this.#declarations = declarations;
    this.#inputs = inputs;
    this.#active = new Array(inputs).fill(true);
  }

  /** Records `watermark` for `input`; returns the combined watermarks that changed (usually 0 or 1). */
  update(input: number, watermark: Watermark): Watermark[] {
    const combiner = this.#combiner(watermark.identifier);
    combiner.values[input] = watermark.value;
    const changed = this.#recompute(combiner);
    // An input becoming active or idle changes which inputs count for event time.
    if (watermark.identifier === IDLE_STATUS_WATERMARK) {
      const eventTime = this.#combiners.get(EVENT_TIME_WATERMARK);
      if (eventTime !== undefined) changed.push(...this.#recompute(eventTime));
    }
    return changed;
  }

  /** `input` ended: it no longer holds back any combination. */
  endInput(input: number): Watermark[] {
    this.#active[input] = false;
    const changed: Watermark[] = [];
    for (const combiner of this.#combiners.values()) changed.push(...this.#recompute(combiner));
    return changed;
  }

  #combiner(identifier: string): Combiner {
    let combiner = this.#combiners.get(identifier);
    if (combiner === undefined) {
      const declaration = this.#declarations.get(identifier);
      if (declaration === undefined)
        throw new Error(`received watermark "${identifier}", which no function or source declares`);
      combiner = new Combiner(declaration, this.#inputs);
      this.#combiners.set(identifier, combiner);
    }
    return combiner;
  }

  #isIdle(input: number): boolean {
    return this.#combiners.get(IDLE_STATUS_WATERMARK)?.values[input] === true;
  }

  /**
   * When every active input is idle, event time moves to the largest watermark any of them reached
   * (Flink's valve does the same): nothing more is coming, so nothing needs to wait for the others.
   */
  #allIdleEventTime(combiner: Combiner): number | undefined {
    let max: number | undefined;
    for (let i = 0; i < combiner.values.length; i++) {
      if (!this.#active[i]) continue;
      if (!this.#isIdle(i)) return undefined;
      const value = combiner.values[i] as number | undefined;
      if (value !== undefined && (max === undefined || value > max)) max = value;
    }
    return max !== undefined && (combiner.last === undefined || max > (combiner.last as number))
      ? max
      : undefined;
  }

  #recompute(combiner: Combiner): Watermark[] {
    const excluded =
      combiner.declaration.identifier === EVENT_TIME_WATERMARK
        ? (input: number) => {
            // As Flink's status watermark valve: idle inputs do not count, and an input that resumed
            // below the event time already emitted only counts again once it has caught up. So event
            // time never goes back.
            if (this.#isIdle(input)) return true;
            const value = combiner.values[input] as number | undefined;
            return value !== undefined && combiner.last !== undefined && value < (combiner.last as number);
          }
        : noneExcluded;
    let value = combiner.combine(this.#active, excluded);
    if (value === undefined && excluded !== noneExcluded) value = this.#allIdleEventTime(combiner);
    if (value === undefined || value === combiner.last) return [];
    combiner.last = value;
    const identifier = combiner.declaration.identifier;
    return [
      combiner.declaration.kind === "numeric"
        ? { kind: "numeric", identifier, value: value as number }
        : { kind: "boolean", identifier, value: value as boolean },
    ];
  }
}

const noneExcluded = (): boolean => false;
