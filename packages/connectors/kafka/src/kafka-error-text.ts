/**
 * Readable text for errors of @platformatic/kafka, whose top-level messages ("Producing messages
 * failed.") hide the broker's answer in nested `errors` and `cause`: the text names every nested
 * protocol error (e.g. `INVALID_PRODUCER_EPOCH`) so a failed job says what the broker said.
 * @module
 */

export function kafkaErrorText(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (e === null || e === undefined || seen.has(e) || depth > 6) return;
    seen.add(e);
    const err = e as { message?: unknown; apiId?: unknown; errors?: unknown; cause?: unknown };
    const message = typeof err.message === "string" ? err.message : String(e);
    const api = typeof err.apiId === "string" ? ` [${err.apiId}]` : "";
    if (!parts.some((p) => p.startsWith(message))) parts.push(`${message}${api}`);
    if (Array.isArray(err.errors)) for (const inner of err.errors) visit(inner, depth + 1);
    visit(err.cause, depth + 1);
  };
  visit(error, 0);
  return parts.join(" <- ");
}
