/**
 * The session's catalog: one built-in catalog `default_catalog` with one database
 * `default_database`, holding tables and views, permanent and temporary (a temporary object
 * shadows a permanent one of the same name, as in Flink), and the functions created with CREATE
 * FUNCTION.
 *
 * Invariant: object names are case-sensitive; every stored object is keyed by its plain name in
 * `default_database`, and {@link SessionCatalog.resolvePath} is the only place that accepts
 * `t`, `db.t` and `catalog.db.t` and turns them into that key.
 * @module
 */

import type { ResolvedTable, ResolvedView } from "./catalog-table.ts";

export const DEFAULT_CATALOG = "default_catalog";
export const DEFAULT_DATABASE = "default_database";

export type CatalogObject = ResolvedTable | ResolvedView;

/** Why a path could not be resolved: wrong catalog or database (the caller words the error). */
export type PathResolution =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly reason: string };

export class SessionCatalog {
  readonly #permanent = new Map<string, CatalogObject>();
  readonly #temporary = new Map<string, CatalogObject>();

  /** `[table]`, `[db, table]` or `[catalog, db, table]` → the object key in default_database. */
  resolvePath(parts: readonly string[]): PathResolution {
    if (parts.length === 0 || parts.length > 3) {
      return { ok: false, reason: `Invalid object name '${parts.join(".")}'` };
    }
    const name = parts[parts.length - 1]!;
    if (parts.length === 3 && parts[0] !== DEFAULT_CATALOG) {
      return { ok: false, reason: `Catalog '${parts[0]}' does not exist` };
    }
    const database = parts.length >= 2 ? parts[parts.length - 2] : DEFAULT_DATABASE;
    if (database !== DEFAULT_DATABASE) {
      return { ok: false, reason: `Database '${DEFAULT_CATALOG}.${database}' does not exist` };
    }
    return { ok: true, name };
  }

  /** The temporary object if one exists, else the permanent one. */
  lookup(name: string): CatalogObject | undefined {
    return this.#temporary.get(name) ?? this.#permanent.get(name);
  }

  /** The object stored under `name` among the temporary (or permanent) ones only. */
  get(name: string, temporary: boolean): CatalogObject | undefined {
    return (temporary ? this.#temporary : this.#permanent).get(name);
  }

  has(name: string, temporary: boolean): boolean {
    return (temporary ? this.#temporary : this.#permanent).has(name);
  }

  put(object: CatalogObject): void {
    (object.temporary ? this.#temporary : this.#permanent).set(object.name, object);
  }

  /** Removes and returns the object, or undefined when there was none. */
  remove(name: string, temporary: boolean): CatalogObject | undefined {
    const map = temporary ? this.#temporary : this.#permanent;
    const found = map.get(name);
    map.delete(name);
    return found;
  }

  /** Names of visible tables and views, sorted as Flink's SHOW TABLES prints them. */
  names(kind: "table" | "view" | "any"): string[] {
    const names = new Set<string>();
    for (const map of [this.#permanent, this.#temporary]) {
      for (const [name, object] of map) {
        const visible = this.lookup(name);
        if (visible !== object) continue;
        if (kind === "any" || object.kind === kind) names.add(name);
      }
    }
    return [...names].sort();
  }
}

/** `default_catalog.default_database.name`, as Flink prints object identifiers. */
export function qualifiedObjectName(name: string): string {
  return `${DEFAULT_CATALOG}.${DEFAULT_DATABASE}.${name}`;
}
