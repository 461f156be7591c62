/**
 * The REST server's request and response discipline: bodies read with a hard size limit (413
 * before more is buffered), JSON errors shaped as Flink's (`{ "errors": ["…"] }`), and headers that
 * make browsers treat every answer as data (no sniffing, no caching, no framing).
 *
 * Example: a 2 MiB body to an endpoint limited to 1 MiB -> `413 {"errors":["request body exceeds 1048576 bytes"]}`.
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";

export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
};

/** JSON with bigints as digit strings (records of a job may hold them). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = toJson(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendText(response: ServerResponse, status: number, contentType: string, text: string): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  // A request whose body was not read (refused early) must not keep the connection.
  response.setHeader("connection", "close");
  sendJson(response, status, { errors: [message] });
}

/** Reads the whole body, refusing more than `limit` bytes with a 413. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit)
    return Promise.reject(new HttpError(413, `request body exceeds ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(new HttpError(413, `request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    request.on("error", (error) =>
      reject(new HttpError(400, `could not read the request body: ${error.message}`)),
    );
  });
}

export async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(415, "the request body must be application/json");
  const body = await readBody(request, limit);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}
