/** Fixture: a module that forgot `export default defineJob(...)`. */
export const notAJob = 42;
