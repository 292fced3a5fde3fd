import { describe, expect, it } from 'vitest';
import { catchUpReporter } from '../../src/cli/paper/progress.js';
import { at } from '../helpers/paper.js';

describe('the CLI prints a long catch-up\'s progress on stderr', () => {
  const from = at('2026-09-24T10:00:00');
  const to = at('2026-11-23T10:00:00'); // 60 days on
  const day = (n: number) => from + n * 86_400_000;

  function reporter() {
    let err = '';
    let ms = 0;
    const report = catchUpReporter({ write: (t: string) => (err += t) }, { now: () => ms });
    return { report, err: () => err, wait: (n: number) => void (ms += n) };
  }

  it('says nothing when it is over within a moment', () => {
    const r = reporter();
    r.wait(300);
    r.report({ from, to, at: day(1) });
    r.report({ from, to, at: to });
    expect(r.err()).toBe('');
  });

  it('after a second, one line a second with the day reached, then that it is done', () => {
    const r = reporter();
    r.wait(1200);
    r.report({ from, to, at: day(6) });
    r.wait(400);
    r.report({ from, to, at: day(7) }); // under a second since the last line: quiet
    r.wait(700);
    r.report({ from, to, at: day(30) });
    r.report({ from, to, at: to });
    expect(r.err()).toBe(
      'catching up the paper account from 2026-09-24 10:00:00 (60 days of candles, a trading day at a time)\n' +
        '  up to 2026-09-30 (10%)\n' + // 6 of 60 days
        '  up to 2026-10-24 (50%)\n' + // 30 of 60
        'caught up to 2026-11-23 10:00:00\n',
    );
  });
});
