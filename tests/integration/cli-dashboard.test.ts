import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../helpers/cli.js';

describe('algo with no command and no terminal', () => {
  const dataDir = tempDataDir('algo-dash-notty-');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('says the dashboard needs a terminal, exits 2, and writes nothing', async () => {
    const r = await runCli([], { dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^algo: the dashboard needs a terminal; for scripts use `algo portfolio/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
