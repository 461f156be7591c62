/**
 * `@weir/connector-postgres`: work in progress.
 * @module
 */
export {};
