/**
 * One parameter schema for every face: CLI flags (`--param k=v`, strings), API bodies and
 * dashboard forms (numbers, booleans or strings) all go through parseParams.
 */
export type ParamSpec =
  | { type: 'number'; default: number; min: number; max: number; description: string }
  | { type: 'integer'; default: number; min: number; max: number; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'enum'; values: readonly string[]; default: string; description: string };

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

type ValueOf<S extends ParamSpec> = S extends { type: 'boolean' } ? boolean : S extends { type: 'enum' } ? string : number;
export type ParamValues<S extends ParamSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };
export type AnyParams = Readonly<Record<string, number | boolean | string>>;

export type ParamsResult<S extends ParamSchema> = { ok: true; params: ParamValues<S> } | { ok: false; errors: string[] };

/** "an integer from 2 to 200", "true or false", "one of 1m, 5m": what a parameter accepts. */
export function allowed(spec: ParamSpec): string {
  switch (spec.type) {
    case 'number':
      return `a number from ${spec.min} to ${spec.max}`;
    case 'integer':
      return `an integer from ${spec.min} to ${spec.max}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
  }
}

function parseOne(name: string, spec: ParamSpec, raw: unknown): { value: number | boolean | string } | { error: string } {
  const bad = { error: `parameter ${name}: ${JSON.stringify(raw)} is not ${allowed(spec)}` };
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n)) || n < spec.min || n > spec.max) return bad;
      return { value: n };
    }
    case 'boolean':
      if (raw === true || raw === 'true') return { value: true };
      if (raw === false || raw === 'false') return { value: false };
      return bad;
    case 'enum':
      return typeof raw === 'string' && spec.values.includes(raw) ? { value: raw } : bad;
  }
}

/**
 * Given values over the defaults: `parseParams(schema, { fast: '9' })`. Every problem is one
 * line naming the parameter and what it accepts; an unknown name lists the known ones.
 */
export function parseParams<S extends ParamSchema>(schema: S, given: Readonly<Record<string, unknown>> = {}): ParamsResult<S> {
  const errors: string[] = [];
  const out: Record<string, number | boolean | string> = {};
  const known = Object.keys(schema);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(schema, name)) {
      errors.push(`unknown parameter ${name}; known: ${known.length ? known.join(', ') : '(none)'}`);
    }
  }
  for (const [name, spec] of Object.entries(schema)) {
    if (!Object.hasOwn(given, name) || given[name] === undefined) {
      out[name] = spec.default;
      continue;
    }
    const r = parseOne(name, spec, given[name]);
    if ('error' in r) errors.push(r.error);
    else out[name] = r.value;
  }
  return errors.length ? { ok: false, errors } : { ok: true, params: out as ParamValues<S> };
}

/** `--param k=v` words as a record; a word without "=" is an error naming it. */
export function paramPairs(words: readonly string[]): { ok: true; values: Record<string, string> } | { ok: false; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const w of words) {
    const i = w.indexOf('=');
    if (i <= 0) errors.push(`--param ${JSON.stringify(w)}: write NAME=VALUE, e.g. --param fast=9`);
    else values[w.slice(0, i).trim()] = w.slice(i + 1).trim();
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

/** The defaults of a schema. */
export const defaultsOf = <S extends ParamSchema>(schema: S): ParamValues<S> => (parseParams(schema) as { params: ParamValues<S> }).params;
