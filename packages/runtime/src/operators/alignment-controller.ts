/**
 * The subtask's side of watermark alignment: reports its watermark on an interval and pauses the
 * task's input while the watermark is above what the group allows; input resumes as soon as an
 * announcement allows it again. Pausing the task pauses a chained source, or backpressures an
 * unchained one, which is how a fast source waits for slow ones.
 * @module
 */

import type { AlignmentHook } from "@weir/api";
import type { OperatorEnvironment } from "./operator-environment.ts";

export class AlignmentController {
  readonly #hook: AlignmentHook;
  readonly #env: OperatorEnvironment;
  #allowed = Number.POSITIVE_INFINITY;
  #release: (() => void) | undefined;
  #stopped = false;

  constructor(hook: AlignmentHook, env: OperatorEnvironment) {
    this.#hook = hook;
    this.#env = env;
  }

  start(): void {
    this.#env.alignment.subscribe(this.#hook.group, (allowed) => {
      this.#allowed = allowed;
      this.#check();
    });
    this.#report();
  }

  /** The member is done: it must not hold the group back any more. */
  stop(): void {
    this.#stopped = true;
    this.#env.alignment.report(this.#hook.group, this.#hook.maxDriftMs, Number.POSITIVE_INFINITY);
    this.#release?.();
    this.#release = undefined;
  }

  /** Whether input is paused right now (for tests and metrics). */
  get paused(): boolean {
    return this.#release !== undefined;
  }

  #report(): void {
    if (this.#stopped) return;
    this.#env.alignment.report(this.#hook.group, this.#hook.maxDriftMs, this.#hook.currentWatermark());
    this.#check();
    this.#env.scheduleTimer(this.#env.clock.now() + this.#hook.updateIntervalMs, () => this.#report());
  }

  /** Checks the current watermark against the last announcement (after every input batch too). */
  check(): void {
    this.#check();
  }

  #check(): void {
    const ahead = this.#hook.currentWatermark() > this.#allowed;
    if (ahead && this.#release === undefined && !this.#stopped) {
      this.#env.blockOn(
        new Promise<void>((resolve) => {
          this.#release = resolve;
        }),
        `watermark alignment of group "${this.#hook.group}"`,
      );
    } else if (!ahead && this.#release !== undefined) {
      this.#release();
      this.#release = undefined;
    }
  }
}
