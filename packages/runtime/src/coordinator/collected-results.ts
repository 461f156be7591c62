/**
 * What collect sinks sent to the job client, with exactly-once visibility: records of one sink
 * subtask are pending until that subtask acknowledges a checkpoint (they become part of it), and
 * committed when the checkpoint completes or the job finishes. A restart drops what was not
 * committed, since the restored job produces it again.
 * @module
 */

export class CollectedResults {
  readonly #committed = new Map<string, unknown[]>();
  /** By task, records received since the task's last checkpoint acknowledgement. */
  readonly #pending = new Map<string, { name: string; records: unknown[] }[]>();
  /** By checkpoint id, records a task placed in that checkpoint. */
  readonly #byCheckpoint = new Map<number, { name: string; records: unknown[] }[]>();

  add(task: string, name: string, records: unknown[]): void {
    let list = this.#pending.get(task);
    if (list === undefined) {
      list = [];
      this.#pending.set(task, list);
    }
    list.push({ name, records });
  }

  /** `task` acknowledged checkpoint `checkpointId`: what it sent so far belongs to that checkpoint. */
  taskCheckpointed(task: string, checkpointId: number): void {
    const pending = this.#pending.get(task);
    if (pending === undefined || pending.length === 0) return;
    this.#pending.delete(task);
    const list = this.#byCheckpoint.get(checkpointId) ?? [];
    list.push(...pending);
    this.#byCheckpoint.set(checkpointId, list);
  }

  checkpointCompleted(checkpointId: number): void {
    for (const [id, batches] of [...this.#byCheckpoint]) {
      if (id > checkpointId) continue;
      this.#commit(batches);
      this.#byCheckpoint.delete(id);
    }
  }

  /** The job finished: everything received is final. */
  finished(): void {
    for (const id of [...this.#byCheckpoint.keys()].sort((a, b) => a - b))
      this.#commit(this.#byCheckpoint.get(id)!);
    this.#byCheckpoint.clear();
    for (const batches of this.#pending.values()) this.#commit(batches);
    this.#pending.clear();
  }

  /** A restart: uncommitted records will be produced again from the restored checkpoint. */
  discardUncommitted(): void {
    this.#pending.clear();
    this.#byCheckpoint.clear();
  }

  get(name: string): unknown[] {
    return this.#committed.get(name) ?? [];
  }

  #commit(batches: readonly { name: string; records: unknown[] }[]): void {
    for (const { name, records } of batches) {
      let list = this.#committed.get(name);
      if (list === undefined) {
        list = [];
        this.#committed.set(name, list);
      }
      for (const record of records) list.push(record);
    }
  }
}
