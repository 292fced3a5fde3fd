import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { ApiError, badInput } from './api-error.js';

const PART_NAME: Record<string, string> = { body: 'body', querystring: 'query', params: 'path' };

/** One clear line naming the first bad field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], part: string): string {
  const issue = issues[0];
  if (!issue) return `invalid ${part}`;
  const where = issue.path.length > 0 ? issue.path.join('.') : '';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (where ? `${where}.${k}` : k));
    return `${part} has unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
  }
  if ('input' in issue && issue.input === undefined && where) return `${part} field ${where} is required`;
  const message = issue.message.replace(/^Invalid (input|option): /, '');
  return where ? `${part} field ${where}: ${message}` : `${part}: ${message}`;
}

/** The body field the first issue is about (an unknown field: the first of them), or undefined. */
function fieldOf(issues: readonly z.core.$ZodIssue[]): string | undefined {
  const issue = issues[0];
  if (!issue) return undefined;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  return path.length > 0 ? path.join('.') : undefined;
}

/** Parse a request part: its output (with defaults), or one line naming the first bad field (and the field, for data.field). */
export function check(schema: z.ZodType, input: unknown, part: string): { ok: true; value: unknown } | { ok: false; message: string; field?: string } {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const field = fieldOf(result.error.issues);
  return { ok: false, message: describeIssues(result.error.issues, part), ...(field !== undefined ? { field } : {}) };
}

/** Carries the validation failure to the error handler. */
export class ValidationFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

/**
 * Fastify validates request parts with the routes' zod schemas. An absent body validates as
 * `{}` so that its missing fields are named; parsed output (with defaults) replaces the input.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = PART_NAME[httpPart ?? ''] ?? httpPart ?? 'request';
  return (data: unknown) => {
    const input = data === null && httpPart === 'body' ? {} : data;
    const result = check(schema, input, part);
    if (result.ok) return { value: result.value };
    // A body's bad field is named in data.field too (as the order language's and the backtest inputs' refusals are).
    const e = httpPart === 'body' && result.field !== undefined ? new ApiError(400, 'InputException', result.message, { field: result.field }) : badInput(result.message);
    return { error: new ValidationFailure(e) };
  };
};
