/**
 * A client of the REST API of a JobManager (or of a local `weir run --rest-port`) that finds each
 * operation in the server's own OpenAPI document by its operationId, so the CLI and the server
 * cannot disagree about paths and methods. A server that cannot be reached, and every error answer
 * (`{"errors": [...]}`), become an Error saying what failed and where.
 * @module
 */

/** The server answered with an error status; `detail` is its `errors` text. */
export class RestError extends Error {
  override name = "RestError";
  readonly status: number;
  readonly detail: string;
  constructor(status: number, detail: string, request: string) {
    super(`${request}: ${status} ${detail}`);
    this.status = status;
    this.detail = detail;
  }
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { operationId?: string }>>;
}

export class RestClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;
  #document: OpenApiDocument | undefined;

  constructor(base: string, token: string | undefined) {
    this.#base = base.replace(/\/+$/, "");
    this.#headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
  }

  async #fetch(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers:
          body === undefined ? this.#headers : { ...this.#headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the jobmanager at ${this.#base}: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    let parsed: { errors?: string[] };
    try {
      parsed = text.length === 0 ? {} : (JSON.parse(text) as { errors?: string[] });
    } catch {
      throw new Error(
        `${method} ${path}: the server at ${this.#base} answered ${response.status} with something other than JSON (is it a Weir REST API?)`,
      );
    }
    if (!response.ok)
      throw new RestError(
        response.status,
        (parsed as { errors?: string[] }).errors?.join("; ") ?? text,
        `${method} ${path}`,
      );
    return parsed;
  }

  /** Calls the operation `operationId` with its path parameters filled in. */
  async call(operationId: string, params: Record<string, string> = {}, body?: unknown): Promise<unknown> {
    this.#document ??= (await this.#fetch("GET", "/openapi.json")) as OpenApiDocument;
    for (const [template, methods] of Object.entries(this.#document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (operation.operationId !== operationId) continue;
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
          encodeURIComponent(params[name] ?? ""),
        );
        return this.#fetch(method.toUpperCase(), path, body);
      }
    }
    throw new Error(`the jobmanager's API has no operation ${operationId}`);
  }
}
