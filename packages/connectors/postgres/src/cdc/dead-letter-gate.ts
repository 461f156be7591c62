/**
 * The dead-letter half of a CDC reader's bad-record policy (Postgres and MySQL alike): a bad
 * change at the head of the input passes only once its letter is stored. The first {@link pass}
 * for a change starts the write and returns false (polling stops at the change, `storing` is
 * true); the write wakes the reader; the next {@link pass} for the same change returns true.
 *
 * Invariant: at most one letter is being written at a time, and the reader's position never passes
 * a bad change before its letter is stored (at-least-once into the dead-letter store).
 * @module
 */

import type { DeadLetter, DeadLetterStore } from "./bad-records.ts";

/** What the gate needs from its reader. */
export interface DeadLetterReader {
  /** Poll again: the letter is stored. */
  readonly wake: () => void;
  /** The letter could not be stored: the reader fails, naming what it was doing. */
  readonly fail: (error: unknown, during: string) => void;
}

export class DeadLetterGate {
  readonly #store: DeadLetterStore;
  readonly #reader: DeadLetterReader;
  readonly #onStored: () => void;
  #write: Promise<void> | undefined;
  /** The bad change polling stopped at was stored: the next `pass` lets it through. */
  #stored = false;

  /** `onStored` counts each stored letter (the reader's metrics). */
  constructor(store: DeadLetterStore, reader: DeadLetterReader, onStored: () => void) {
    this.#store = store;
    this.#reader = reader;
    this.#onStored = onStored;
  }

  /** A letter is being stored: polling must wait. */
  get storing(): boolean {
    return this.#write !== undefined;
  }

  /** Whether polling may move past the bad change `letter` (see the module). */
  pass(letter: DeadLetter): boolean {
    if (this.#stored) {
      this.#stored = false;
      return true;
    }
    this.#write = this.#store.store(letter).then(
      () => {
        this.#write = undefined;
        this.#stored = true;
        this.#onStored();
        this.#reader.wake();
      },
      (error: unknown) => {
        this.#write = undefined;
        this.#reader.fail(error, `storing a dead letter for table "${letter.table}" at ${letter.position}`);
      },
    );
    return false;
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
