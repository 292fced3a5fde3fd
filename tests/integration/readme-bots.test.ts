import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDataDir } from '../helpers/cli.js';

/**
 * Every `algo` command in the README's Bots section works as written: each sh block's lines
 * (continuations joined, comments dropped, leading VAR=value kept as the command's environment),
 * in order, through the BUILT CLI on a temp sandbox profile. The ones that run until Ctrl-C
 * (`bot run`, `logs --follow`) are stopped with SIGINT once they have said they run, and must then
 * exit 0. The clock is Wednesday 2 Dec 2026, 10:00 IST unless a line sets its own.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const CLOCK = '2026-12-02T10:00:00+05:30';
const dataDir = tempDataDir('algo-readme-bots-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));

interface Example {
  line: string;
  env: Record<string, string>;
  args: string[];
}

/** The section's `algo` lines, in order. */
function examplesOf(readme: string, heading: string): Example[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no ${heading}`);
  const rest = readme.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n## /) >>> 0);
  const out: Example[] = [];
  for (const [, block] of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block!.replace(/\\\n\s*/g, ' ').split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      if (line === '') continue;
      const words = line.split(/\s+/);
      const env: Record<string, string> = {};
      while (/^[A-Z_]+=/.test(words[0] ?? '')) {
        const [k, ...v] = words.shift()!.split('=');
        env[k!] = v.join('=');
      }
      if (words.shift() !== 'algo') throw new Error(`not an algo command: ${line}`);
      out.push({ line, env, args: words });
    }
  }
  return out;
}

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const examples = examplesOf(readme, '## Bots');

beforeAll(async () => {
  const r = await runCli(['login', '--sandbox', '--user', 'SB0001'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
  expect(r.code, r.stderr).toBe(0);
}, 180_000); // the CLI may have to be built first

/** Until Ctrl-C: start it, wait until it runs (and for what `then` waits for), SIGINT, exit 0. */
async function untilCtrlC(ex: Example, runs: RegExp, stream: 'stdout' | 'stderr', runMs: number): Promise<string> {
  const p = spawnCli(ex.args, { dataDir, env: { ALGO_CLOCK: CLOCK, ...ex.env } });
  await p.waitFor(runs, stream);
  if (runMs > 0) await new Promise((r) => setTimeout(r, runMs));
  p.child.kill('SIGINT');
  const done = await p.done;
  expect(done.code, `${ex.line}\n${done.stderr}`).toBe(0);
  return done.stdout;
}

describe("the README's Bots section", () => {
  it('names the commands this section is about', () => {
    const lines = examples.map((e) => e.line);
    for (const want of [/^algo bot run$/, /ALGO_CLOCK_SPEED=60 algo bot run --sandbox$/, /^algo bot parity orb-infy --date 2026-12-01$/, /--square-off .*--no-entries-after .*--max-qty .*--max-exposure .*--max-loss-day .*--cooldown .*--max-orders-day/]) {
      expect(lines.some((l) => want.test(l)), String(want)).toBe(true);
    }
  });

  it('says what the live runner flags do, one line each', () => {
    const section = readme.slice(readme.indexOf('\n## Bots\n'));
    expect(section).toMatch(/^`--max-orders-second N` paces the bot's orders .*never refused/m);
    expect(section).toMatch(/^`--stale-after SECONDS` \(1 to 3600, default 120\) refuses entries .*\(exits still taken\)/m);
  });

  it('every example works as written, in order', async () => {
    for (const ex of examples) {
      const [group, verb] = ex.args;
      if (group === 'bot' && verb === 'run') {
        const demo = ex.env.ALGO_CLOCK_SPEED !== undefined;
        // the demo's clock runs a market minute a second: let it run a few; the other, Ctrl-C at once
        const out = await untilCtrlC(ex, /running SB0001's bots; Ctrl-C to stop/, 'stderr', demo ? 4000 : 0);
        // it traded from 09:14 (its session line once warmed: seconds of market time, more on a
        // loaded machine) and its clock ran on: minutes later when Ctrl-C released it
        if (demo) expect(out).toMatch(/^09:14:\d\d \w+ session: trading from 2026-12-01 09:14:00\n[\s\S]*^09:1[6-9]:\d\d \w+ released: lease \d+ released\n$/m);
        continue;
      }
      if (ex.args.includes('--follow')) {
        expect(await untilCtrlC(ex, /created \(version 1\)\n/, 'stdout', 0)).toMatch(/start requested/);
        continue;
      }
      const r = await runCli(ex.args, { dataDir, env: { ALGO_CLOCK: CLOCK, ...ex.env } });
      expect(r.code, `${ex.line}\n${r.stderr}`).toBe(0);
      if (verb === 'parity') expect(r.stdout).toMatch(/^parity orb-infy on 2026-12-01: \d+ minutes replayed, .*identical/);
    }
    const list = await runCli(['bot', 'list', '--json'], { dataDir, env: { ALGO_CLOCK: CLOCK } });
    expect((JSON.parse(list.stdout) as { bots: Array<{ name: string }> }).bots.map((b) => b.name)).toEqual(['trend']);
  }, 120_000);
});
