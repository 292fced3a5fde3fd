import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveOptions } from '../../src/cli/serve.js';
import { resolveSettings } from '../../src/core/config.js';

const dirs: string[] = [];
const dataDir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-ports-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const flags = { host: '127.0.0.1', readRate: '20', writeRate: '10' };

describe('an empty port is no port (Number("") is 0, "any free port")', () => {
  it.each([
    ['--port ""', { port: '' }, {}],
    ['--port " "', { port: ' ' }, {}],
    ['ALGO_REDIRECT_PORT=""', {}, { ALGO_REDIRECT_PORT: '' }],
    ['ALGO_REDIRECT_PORT=" "', {}, { ALGO_REDIRECT_PORT: ' ' }],
    ['ALGO_REDIRECT_PORT="\\t\\n"', {}, { ALGO_REDIRECT_PORT: '\t\n' }],
  ])('the redirect port %s is refused in one line naming the flag and the variable', (_what, f, env) => {
    expect(() => resolveSettings({ dataDir: dataDir(), ...f }, env)).toThrow(
      /^invalid setting: redirectPort \(--port \/ ALGO_REDIRECT_PORT\) must be a port number \(0-65535\), not empty$/,
    );
  });

  it('a real port, 0 included, still reads as Number() does', () => {
    expect(resolveSettings({ dataDir: dataDir(), port: '0' }, {}).settings.redirectPort).toBe(0);
    expect(resolveSettings({ dataDir: dataDir() }, { ALGO_REDIRECT_PORT: ' 6001 ' }).settings.redirectPort).toBe(6001);
  });

  it.each(['', ' ', '\t'])('algo serve --port %j is refused, not taken as port 0', (port) => {
    expect(() => serveOptions({ ...flags, port })).toThrow(/^--port must be a port number \(0-65535\), not empty$/);
  });

  it('algo serve --port 0 still means any free port', () => {
    expect(serveOptions({ ...flags, port: '0' }).port).toBe(0);
  });
});
