import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuthError, describeError, exitCodeOf, RejectedError, UsageError } from '../../src/core/errors.js';
import { redact, registerSecret } from '../../src/core/redact.js';
import { VERSION } from '../../src/app/version.js';

describe('errors and redaction', () => {
  it('carry a hint and an exit code', () => {
    const e = new AuthError('session for me expired', 'run `algo login --profile me`');
    expect(describeError(e)).toBe('session for me expired; run `algo login --profile me`');
    expect(exitCodeOf(e)).toBe(3);
    expect(exitCodeOf(new UsageError('x'))).toBe(2);
    expect(exitCodeOf(new RejectedError('x'))).toBe(4);
    expect(exitCodeOf(new Error('x'))).toBe(1);
  });

  it('redacts registered secrets and secret-shaped text', () => {
    registerSecret('s3cr3t-token-value');
    expect(redact('boom s3cr3t-token-value here')).toBe('boom *** here');
    expect(redact('GET /x?access_token=abc123&y=1')).toBe('GET /x?access_token=***&y=1');
    expect(redact('Authorization: token key1:tok123')).toBe('Authorization: token key1:***');
    expect(redact('mongodb://me:pa55@host:27017/db')).toBe('mongodb://me:***@host:27017/db');
    expect(redact('{"access_token":"zzz"}')).toBe('{"access_token":"***"}');
  });

  it('keeps the version in step with package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
