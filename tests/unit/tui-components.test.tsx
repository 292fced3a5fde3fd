import React from 'react';
import { describe, expect, it } from 'vitest';
import { plain } from '../helpers/ink.js';
import { render } from 'ink-testing-library';

const frame = (last: () => string | undefined): string => plain(last());
const renderPlain = (tree: React.ReactElement) => {
  const r = render(tree);
  return { ...r, lastFrame: () => plain(r.lastFrame()) };
};
import { Text } from 'ink';
import { ThemeContext } from '../../src/tui/theme-context.js';
import { themeFor } from '../../src/tui/theme.js';
import { Table, type Column } from '../../src/tui/components/Table.js';
import { Header } from '../../src/tui/components/Header.js';
import { OrderForm } from '../../src/tui/components/OrderForm.js';
import { ProfileSwitcher } from '../../src/tui/components/ProfileSwitcher.js';
import { EquityChart } from '../../src/tui/components/EquityChart.js';
import { Banner } from '../../src/tui/components/Banner.js';
import { ModeBadge } from '../../src/tui/components/ModeBadge.js';
import { newOrderForm } from '../../src/tui/state/order-form.js';

const AT_10_IST = Date.parse('2026-11-25T10:00:00+05:30');

interface Row {
  sym: string;
  n: number;
}
const cols: Column<Row>[] = [
  { title: 'Symbol', cell: (r) => r.sym },
  { title: 'N', cell: (r) => String(r.n), align: 'right' },
];
const many = Array.from({ length: 30 }, (_, i) => ({ sym: `SYM${i}`, n: i }));

describe('Table', () => {
  it('shows a window of rows that follows the selection, and where it is', () => {
    const { lastFrame } = renderPlain(<Table title="Things" columns={cols} rows={many} height={7} width={40} selected={20} focused />);
    const f = frame(lastFrame);
    expect(f).toContain('Things (30) 21/30');
    expect(f).toContain('SYM20');
    expect(f).not.toContain('SYM0 ');
    expect(f.split('\n')).toHaveLength(7);
  });

  it('prints a totals row and the empty text', () => {
    const withTotals = renderPlain(<Table title="T" columns={cols} rows={many.slice(0, 2)} height={6} width={40} selected={0} focused={false} totals={{ cells: ['Total', '1'] }} />);
    expect(withTotals.lastFrame()).toMatch(/Total\s+1/);
    const empty = renderPlain(<Table title="T" columns={cols} rows={[]} height={4} width={40} selected={0} focused={false} empty="no holdings" />);
    expect(empty.lastFrame()).toContain('no holdings');
  });

  it('collapses to its title when there is no room', () => {
    const { lastFrame } = renderPlain(<Table title="Trades" columns={cols} rows={many} height={1} width={40} selected={0} focused={false} />);
    expect(frame(lastFrame).trimEnd()).toBe('  Trades (30)');
  });
});

describe('Header', () => {
  it('shows the mode, profile, user, market phase with countdown, IST clock and ticker state', () => {
    const { lastFrame } = renderPlain(
      <Header profile={{ profile: 'demo', userId: 'SB0001', userName: 'Sandbox One', mode: 'sandbox' }} profileName="demo" now={AT_10_IST} ticker={{ state: 'connected' }} width={120} />,
    );
    const f = frame(lastFrame)!;
    expect(f).toContain('SANDBOX');
    expect(f).toContain('demo SB0001 Sandbox One');
    expect(f).toContain('OPEN closes in 5h 30m');
    expect(f).toContain('10:00:00 IST');
    expect(f).toContain('● live');
  });

  it('says LIVE for a real account and shows a reconnecting ticker', () => {
    const { lastFrame } = renderPlain(
      <Header profile={{ profile: 'me', userId: 'AB1234', userName: 'Me', mode: 'live' }} profileName="me" now={Date.parse('2026-11-25T08:00:00+05:30')} ticker={{ state: 'reconnecting', attempt: 2, retryInMs: 4000 }} width={120} />,
    );
    expect(frame(lastFrame)).toContain(' LIVE ');
    expect(frame(lastFrame)).toContain('CLOSED pre-open in 1h 00m');
    expect(frame(lastFrame)).toContain('reconnecting #2 in 4s');
  });

  it('never reads CLOSED while an always-open sandbox fills orders, and keeps NSE\'s own phase beside it', () => {
    const sandbox = { profile: 'demo', userId: 'SB0001', userName: 'Sandbox One', mode: 'sandbox' as const, alwaysOpen: true };
    const night = renderPlain(<Header profile={sandbox} profileName="demo" now={Date.parse('2026-11-25T22:00:00+05:30')} ticker={{ state: 'connected' }} width={120} />);
    expect(night.lastFrame()).toContain('OPEN · always-open sandbox NSE pre-open in 11h 00m');
    expect(night.lastFrame()).not.toContain('CLOSED');
    const day = renderPlain(<Header profile={sandbox} profileName="demo" now={AT_10_IST} ticker={{ state: 'connected' }} width={120} />);
    expect(day.lastFrame()).toContain('OPEN · always-open sandbox NSE closes in 5h 30m');
    // the same instant without always-open is closed
    const plainSandbox = renderPlain(<Header profile={{ ...sandbox, alwaysOpen: false }} profileName="demo" now={Date.parse('2026-11-25T22:00:00+05:30')} ticker={{ state: 'connected' }} width={120} />);
    expect(plainSandbox.lastFrame()).toContain('CLOSED pre-open in 11h 00m');
  });

  it('names an exchange holiday, always open or not', () => {
    const holiday = Date.parse('2026-11-24T11:00:00+05:30'); // Tuesday; the next pre-open is Wednesday 09:00
    const me = { profile: 'me', userId: 'AB1234', userName: 'Me', mode: 'live' as const };
    const live = renderPlain(<Header profile={me} profileName="me" now={holiday} ticker={{ state: 'connected' }} width={140} />);
    expect(live.lastFrame()).toContain('CLOSED · holiday: Prakash Gurpurb Sri Guru Nanak Dev pre-open in 22h 00m');
    const open = renderPlain(<Header profile={{ ...me, mode: 'sandbox', alwaysOpen: true }} profileName="me" now={holiday} ticker={{ state: 'connected' }} width={140} />);
    expect(open.lastFrame()).toContain('OPEN · always-open sandbox NSE holiday: Prakash Gurpurb Sri Guru Nanak Dev, pre-open in 22h 00m');
  });
});

describe('forms and overlays', () => {
  it('OrderForm shows the fields, the focused one, and the error', () => {
    const form = { ...newOrderForm({ side: 'BUY', symbol: 'NSE:INFY' }), error: 'rejected: insufficient funds' };
    const f = renderPlain(<OrderForm form={form} width={80} />).lastFrame()!;
    expect(f).toContain('Paper BUY');
    expect(f).toContain('› Symbol');
    expect(f).toContain('NSE:INFY');
    expect(f).toContain('‹ MARKET ›');
    expect(f).toContain('rejected: insufficient funds');
  });

  it('ProfileSwitcher lists profiles with their session state and the current one', () => {
    const f = renderPlain(
      <ProfileSwitcher
        profiles={[
          { name: 'demo', userId: 'SB0001', session: 'active', expiresAt: 1 },
          { name: 'old', userId: 'SB0003', session: 'expired', expiresAt: 1 },
        ]}
        index={1}
        current="demo"
        note="old: its session has expired; run `algo login --profile old`"
        width={80}
      />,
    ).lastFrame()!;
    expect(f).toMatch(/● demo\s+SB0001\s+signed in/);
    expect(f).toMatch(/old\s+SB0003\s+expired/);
    expect(f).toContain('algo login --profile old');
  });
});

describe('charts and badges', () => {
  it('EquityChart labels its range; too few points says so', () => {
    const f = renderPlain(<EquityChart values={[10_000_000, 10_050_000, 9_990_000]} width={60} height={3} />).lastFrame()!;
    expect(f).toContain('1,00,500.00');
    expect(f).toContain('99,900.00');
    expect(renderPlain(<EquityChart values={[1]} width={60} height={3} />).lastFrame()).toContain('not enough points');
  });

  it('Banner renders its text, wrapping onto a second line rather than losing a command', () => {
    const long = renderPlain(<Banner kind="error" text={`session expired; run \`algo login --profile demo\``} width={30} />).lastFrame();
    expect(long.split('\n')).toHaveLength(2);
    expect(long.replace(/\n/g, '')).toContain('algo login --profile demo');
    expect(renderPlain(<Banner kind="error" text="session expired" width={80} />).lastFrame()).toContain('✖ session expired');
  });

  it('NO_COLOR leaves no colours in the theme but keeps the badge text', () => {
    const plain = themeFor({ NO_COLOR: '1' });
    expect(plain.color).toBe(false);
    expect(plain.profit).toBeUndefined();
    expect(plain.live).toBeUndefined();
    expect(themeFor({}).profit).toBe('green');
    const f = renderPlain(
      <ThemeContext.Provider value={plain}>
        <ModeBadge mode="sandbox" />
        <Text>x</Text>
      </ThemeContext.Provider>,
    ).lastFrame()!;
    expect(f).toContain('SANDBOX');
  });
});
