/**
 * The dashboard's asset server over real HTTP: every asset with its content type and security
 * headers, every reference between the assets resolvable, and unknown or traversal paths declined
 * (the test server answers 404 for what the handler declines, as the REST server's router does).
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { DASHBOARD_ASSETS } from "./dashboard-assets.ts";
import { serveDashboard } from "./serve-dashboard.ts";

let server: Server;
let port: number;

before(async () => {
  server = createServer((req, res) => {
    if (req.method === "GET" && serveDashboard((req.url ?? "/").split("?", 1)[0]!, res)) return;
    res.writeHead(404, { "content-type": "text/plain" }).end("declined");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw GET: the path goes on the wire as written (fetch would normalise `..` away). */
function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const assetFile = (name: string) => readFileSync(new URL(`../assets/${name}`, import.meta.url));

test("the index is served at / as HTML with a strict Content-Security-Policy", async () => {
  const { status, headers, body } = await get("/");
  assert.equal(status, 200);
  assert.equal(headers["content-type"], "text/html; charset=utf-8");
  assert.deepEqual(body, assetFile("index.html"));
  const csp = String(headers["content-security-policy"]);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(headers["x-content-type-options"], "nosniff");
  assert.equal(headers["x-frame-options"], "DENY");
});

test("each asset is served byte for byte with the content type of its kind", async () => {
  const expected: Record<string, string> = {
    "/web/app.js": "text/javascript; charset=utf-8",
    "/web/job-graph.js": "text/javascript; charset=utf-8",
    "/web/dashboard.css": "text/css; charset=utf-8",
    "/web/favicon.svg": "image/svg+xml",
  };
  for (const [path, type] of Object.entries(expected)) {
    const { status, headers, body } = await get(path);
    assert.equal(status, 200, path);
    assert.equal(headers["content-type"], type, path);
    assert.deepEqual(body, assetFile(path.slice("/web/".length)), path);
  }
  // A query string does not change what is served (browsers add them for cache busting).
  assert.equal((await get("/web/app.js?v=2")).status, 200);
});

test("every file in assets/ is in the table, and every reference between assets resolves", () => {
  const files = readdirSync(new URL("../assets/", import.meta.url)).sort();
  const served = [...DASHBOARD_ASSETS.keys()].map((p) =>
    p === "/" ? "index.html" : p.slice("/web/".length),
  );
  assert.deepEqual([...served].sort(), files);
  const references: string[] = [];
  for (const file of files) {
    const text = assetFile(file).toString("utf8");
    for (const m of text.matchAll(/(?:src|href)="(\/[^"#]*)"/g)) references.push(m[1]!);
    for (const m of text.matchAll(/from "\.\/([^"]+)"/g)) references.push(`/web/${m[1]}`);
  }
  assert.ok(references.length > 10, `found only ${references.length} references`);
  for (const reference of references)
    assert.ok(DASHBOARD_ASSETS.has(reference), `${reference} is not served`);
});

test("unknown and traversal paths are declined, never mapped to a file", async () => {
  for (const path of [
    "/index.html",
    "/web/",
    "/web/nope.js",
    "/WEB/APP.JS",
    "/web/app.js/",
    "/../package.json",
    "/web/../package.json",
    "/web/../../package.json",
    "/%2e%2e/package.json",
    "/web/%2e%2e/%2e%2e/package.json",
    "/web/..%2fpackage.json",
    "/web/app.js%00.png",
    "/web\\..\\package.json",
    "/src/index.ts",
    "/assets/app.js",
  ]) {
    const { status, body } = await get(path);
    assert.equal(status, 404, path);
    assert.equal(body.toString(), "declined", path);
  }
});

test("any path outside the table is declined without writing a byte", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (tail) => {
      const path = `/${tail}`;
      fc.pre(!DASHBOARD_ASSETS.has(path));
      let written = false;
      const response = {
        writeHead: () => {
          written = true;
        },
        end: () => {
          written = true;
        },
      } as unknown as Parameters<typeof serveDashboard>[1];
      return serveDashboard(path, response) === false && !written;
    }),
  );
});
