/**
 * What the NATS source hands its deserializer, and what a rejected message becomes for a
 * dead-letter sink. A {@link NatsMessage} is a view valid only during the `deserialize` call (the
 * reader reuses one object per split, so the hot path allocates nothing per message): copy what
 * you keep.
 *
 * Example deserializer emitting one record per JSON message and none for an empty one:
 * ```ts
 * const orders: NatsDeserializer<Order> = {
 *   deserialize(message, collect) {
 *     if (message.data.length > 0) collect(JSON.parse(new TextDecoder().decode(message.data)));
 *   },
 * };
 * ```
 * @module
 */

/** One JetStream message as the deserializer sees it. @public */
export interface NatsMessage {
  readonly stream: string;
  readonly subject: string;
  /** The stream sequence (1-based, unique in the stream). */
  readonly sequence: number;
  /** When the stream stored the message, in epoch milliseconds. */
  readonly timestamp: number;
  readonly data: Uint8Array;
  /** The message headers (each name with its values), or `null` when it has none. */
  readonly headers: ReadonlyMap<string, readonly string[]> | null;
  /** True when the server delivers this message again (its ack did not arrive in time). */
  readonly redelivered: boolean;
}

/**
 * Turns a message into zero or more records. Throwing marks the message as malformed; the source
 * then applies its bad-record policy. @public
 */
export interface NatsDeserializer<T> {
  deserialize(message: NatsMessage, collect: (record: T) => void): void;
}

/** A message the deserializer rejected, as written to a dead-letter sink. @public */
export interface NatsDeadLetter {
  readonly stream: string;
  readonly subject: string;
  readonly sequence: number;
  readonly timestamp: number;
  /** The payload as UTF-8 text (lossy for binary data). */
  readonly data: string;
  /** The payload's bytes in base64, exact for binary data. */
  readonly dataBase64: string;
  /** The deserializer's error message. */
  readonly error: string;
}

/** Ready-made deserializers. @public */
export const NatsDeserializers = {
  /** The payload as UTF-8 text. */
  text(): NatsDeserializer<string> {
    const decoder = new TextDecoder();
    return { deserialize: (m, collect) => collect(decoder.decode(m.data)) };
  },
  /** The payload parsed as JSON (a malformed payload is a bad record). */
  json<T>(): NatsDeserializer<T> {
    const decoder = new TextDecoder();
    return { deserialize: (m, collect) => collect(JSON.parse(decoder.decode(m.data)) as T) };
  },
} as const;
