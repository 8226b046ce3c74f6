/** The parts of the `pg` module and its objects this instrumentation touches (structural). */

export interface PgResultLike {
  command?: string;
  rowCount?: number | null;
  rows?: unknown[];
}

export interface QueryConfigLike {
  text?: unknown;
  values?: unknown;
  callback?: unknown;
  submit?: unknown;
}

/** A submittable (pg `Query`, pg-cursor, pg-query-stream): the client drives it by these calls. */
export interface SubmittableLike {
  text?: unknown;
  values?: unknown;
  handleDataRow?: (...args: unknown[]) => unknown;
  handleCommandComplete?: (msg: { text?: string }, ...rest: unknown[]) => unknown;
  handleReadyForQuery?: (...args: unknown[]) => unknown;
  handleError?: (error: unknown, ...rest: unknown[]) => unknown;
}

export interface ClientLike {
  host?: unknown;
  port?: unknown;
  database?: unknown;
}

export type QueryMethod = (this: ClientLike, ...args: unknown[]) => unknown;
export type Callback = (this: unknown, error: unknown, result?: unknown) => unknown;

export interface ClassLike {
  prototype: object;
}

export interface PgModuleLike {
  Client?: ClassLike;
  Pool?: ClassLike;
  default?: PgModuleLike;
}
