// Validation with valibot, not zod, for the modules every scripted command loads (config.json,
// session files, paper order requests): importing zod costs ~70 ms, about as long as node's own
// start-up, against ~10 ms for valibot (measured with bench/cold-start.mjs). zod stays where
// start-up does not matter (the REST server's schemas and OpenAPI document).
import * as v from 'valibot';
import { AlgoError } from './errors.js';

/** The first thing wrong with a value: where (dot path, '' for the value itself) and what. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

export type Checked<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };

/** A schema with the two calls callers need; a failure reports only the first bad field. */
export interface Checker<T> {
  readonly schema: v.GenericSchema<unknown, T>;
  safeParse(raw: unknown): Checked<T>;
  /** The checked value, or a CheckError naming the first bad field. */
  parse(raw: unknown): T;
}

export type CheckedType<C> = C extends Checker<infer T> ? T : never;

/** Thrown by Checker.parse: "path message" (exit code 1, like any unexpected failure). */
export class CheckError extends AlgoError {
  override readonly name = 'CheckError';
  constructor(readonly issue: Issue) {
    super(`${issue.path.join('.') || 'value'} ${issue.message}`);
  }
}

/** Valibot's object and record schemas take arrays (they are objects); a config file must not. */
export function notList<S extends v.GenericSchema>(schema: S) {
  return v.pipe(
    v.custom<unknown>((x) => !Array.isArray(x), 'must be an object, not a list'),
    schema,
  );
}

function toIssue(issue: v.BaseIssue<unknown>): Issue {
  const path = (issue.path ?? []).map((p) => p.key as string | number);
  // Valibot's own wording for object keys is "Invalid key: Expected ..."; say it plainly.
  let message = issue.message;
  if (issue.kind === 'schema' && (issue.type === 'object' || issue.type === 'strict_object') && path.length > 0) {
    if (issue.expected === 'never') message = 'is not a known field';
    else if (issue.input === undefined) message = 'is required';
  }
  return { path, message };
}

export function checker<T>(schema: v.GenericSchema<unknown, T>): Checker<T> {
  const safeParse = (raw: unknown): Checked<T> => {
    const r = v.safeParse(schema, raw, { abortEarly: true });
    return r.success ? { success: true, data: r.output } : { success: false, error: { issues: r.issues.map(toIssue) } };
  };
  return {
    schema,
    safeParse,
    parse(raw) {
      const r = safeParse(raw);
      if (!r.success) throw new CheckError(r.error.issues[0]!);
      return r.data;
    },
  };
}
