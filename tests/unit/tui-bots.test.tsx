import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { BotDesk } from '../../src/app/bots.js';
import { BotsView } from '../../src/tui/bots/BotsView.js';
import { BotsFeed, type BotsData } from '../../src/tui/bots/feed.js';
import { botsKey, initialBotsUi, type BotsUi } from '../../src/tui/bots/keys.js';
import { badgesOf, botBook, botRows } from '../../src/tui/bots/rows.js';
import { ThemeContext } from '../../src/tui/theme-context.js';
import { themeFor } from '../../src/tui/theme.js';
import type { QuoteView } from '../../src/tui/model.js';
import { signed } from '../../src/tui/format.js';
import { plain } from '../helpers/ink.js';
import { buy, rig, sell } from '../helpers/paper.js';

/** The Bots tab's rows, badges, view and keys over BotDesk on the memory store (Monday 10:00 IST). */
const A = 'AB1234';
const ORB = { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: '10' };
const q = (key: string, ltp: number): QuoteView => ({ key, token: 1, ltp, close: ltp, open: ltp, high: ltp, low: ltp, timestamp: 0 });

async function setup() {
  const r = rig();
  const desk = new BotDesk({ bots: r.store.bots, paper: r.store, clock: r.clock });
  const feed = new BotsFeed({ bots: { userId: A, desk, close: async () => undefined }, clock: r.clock });
  return { r, desk, feed };
}

function view(data: BotsData, ui: BotsUi = initialBotsUi(), quotes: Record<string, QuoteView> = {}, width = 160, height = 30): string {
  const rows = botRows(data.bots, data.trades, data.signals, quotes);
  const out = render(
    <ThemeContext.Provider value={themeFor({ NO_COLOR: '1' })}>
      <BotsView data={data} rows={rows} ui={ui} width={width} height={height} />
    </ThemeContext.Provider>,
  );
  const frame = plain(out.lastFrame());
  out.unmount();
  return frame;
}

describe('Bots tab rows', () => {
  it("position and today's P&L from the bot's own fills, marked at the quote, less charges", async () => {
    const { r, desk, feed } = await setup();
    const bot = await desk.create(A, ORB);
    await r.service.place(A, buy('INFY', 10, { product: 'MIS', tag: bot.id }));
    await r.service.place(A, buy('INFY', 7, { product: 'MIS' })); // the person's own: not the bot's
    await feed.poll();
    const trades = feed.store.getState().trades[bot.id]!;
    expect(trades).toHaveLength(1);
    const charges = trades[0]!.charges.total;
    expect(charges).toBeGreaterThan(0);
    const marked = botBook(trades, { 'NSE:INFY': q('NSE:INFY', 1510_00) });
    expect(marked.net.get('NSE:INFY')).toBe(10);
    expect(marked.pnl).toBe(10 * 10_00 - charges);
    // without a quote: at the last fill's price
    expect(botBook(trades, {}).pnl).toBe(-charges);
    r.clock.advance(60_000);
    r.price(1520_00);
    await r.service.place(A, sell('INFY', 10, { product: 'MIS', tag: bot.id }));
    await feed.poll(true);
    const row = botRows(feed.store.getState().bots, feed.store.getState().trades, {}, {})[0]!;
    const all = feed.store.getState().trades[bot.id]!;
    expect(row.position).toBe('flat');
    expect(row.pnl).toBe(10 * 20_00 - all.reduce((s, t) => s + t.charges.total, 0));
  });

  it('badges: blocked entries, halted and needs review, and every risk limit the bot has', async () => {
    const { desk, r } = await setup();
    const bot = await desk.create(A, { ...ORB, maxLossDay: '2,000' });
    expect(badgesOf(bot)).toEqual(['SQ 15:10', 'MAXLOSS ₹2,000.00']);
    const halted = await r.store.bots.update(A, bot.id, bot.rev, { status: 'halted', entries_blocked: true }, r.clock.now());
    expect(badgesOf(halted)).toEqual(['HALTED', 'BLOCKED', 'SQ 15:10', 'MAXLOSS ₹2,000.00']);
    const review = await r.store.bots.update(A, bot.id, halted.rev, { status: 'needs_review' }, r.clock.now());
    expect(badgesOf(review)[0]).toBe('REVIEW');
    const cnc = await desk.create(A, { ...ORB, name: 'cnc', product: 'CNC' });
    expect(badgesOf(cnc)).toEqual([]);
    const limits = await desk.create(A, { ...ORB, name: 'limits', noEntriesAfter: '14:30', maxLossDay: '1,500:halt', maxQty: '50', maxExposure: '2,00,000', cooldown: '3', maxOrdersDay: '20', maxOrdersSecond: '2' });
    expect(badgesOf(limits)).toEqual(['SQ 15:10', 'NOENTRY 14:30', 'MAXLOSS ₹1,500.00 HALT', 'MAXQTY 50', 'MAXEXP ₹2,00,000.00', 'COOL 3', '20/DAY', '2/S']);
  });
});

describe('Bots tab view', () => {
  it('the table: name, strategy, symbols, state, position, P&L, last signal, risk badges', async () => {
    const { r, desk, feed } = await setup();
    const bot = await desk.create(A, { ...ORB, maxLossDay: '2,000' });
    await desk.create(A, { name: 'ema', strategy: 'ema-cross', symbols: ['TCS'], qty: '1', product: 'cnc' });
    await desk.flatten(A, 'orb-infy');
    await r.service.place(A, buy('INFY', 10, { product: 'MIS', tag: bot.id }));
    await r.store.bots.appendEvents(A, [
      { bot_id: bot.id, at: r.clock.now(), kind: 'fill', message: 'BUY 10 INFY @ 1,500.00' },
      { bot_id: bot.id, at: r.clock.now(), kind: 'order', message: 'not a signal' },
    ]);
    await feed.poll();
    const frame = view(feed.store.getState(), initialBotsUi(), { 'NSE:INFY': q('NSE:INFY', 1510_00) });
    expect(frame).toMatch(/Name\s+Strategy\s+Symbols\s+State\s+Position\s+P&L today\s+Last signal\s+Risk/);
    const charges = feed.store.getState().trades[bot.id]![0]!.charges.total;
    const pnl = signed(10 * 10_00 - charges).replace('+', '\\+').replace('.', '\\.');
    expect(frame).toMatch(new RegExp(`orb-infy\\s+orb\\s+NSE:INFY\\s+stopped\\s+INFY \\+10\\s+${pnl}\\s+fill`));
    expect(frame).toMatch(/INFY \+10\s+\S+\s+fill: BUY 10 INFY @ 1,500\.00\s+BLOCKED SQ 15:10 MAXLOSS ₹2,000\.00/);
    expect(frame).toMatch(/ema\s+ema-cross\s+NSE:TCS\s+stopped\s+flat\s+0\.00\s+-/);
  });

  it('an empty list says how to create a bot; a feed that cannot open says why', async () => {
    const { feed, r } = await setup();
    await feed.poll();
    expect(view(feed.store.getState())).toContain('no bots yet: algo bot create NAME');
    const broken = new BotsFeed({ bots: async () => Promise.reject(new Error('no session for profile demo')), clock: r.clock, pollMs: 60_000 });
    await broken.start();
    await broken.stop();
    expect(view(broken.store.getState())).toContain('bots: no session for profile demo');
  });

  it("a profile switch shows the other profile's bots; a desk opened for the old one is closed", async () => {
    const { r, desk } = await setup();
    await desk.create(A, ORB);
    await desk.create('CD5678', { ...ORB, name: 'theirs' });
    const closed: string[] = [];
    const users: Record<string, string> = { demo: A, other: 'CD5678' };
    const feed = new BotsFeed({ bots: async (p) => ({ userId: users[p]!, desk, close: async () => void closed.push(p) }), profile: 'demo', clock: r.clock, pollMs: 60_000 });
    await feed.start();
    expect(feed.store.getState().bots.map((b) => b.name)).toEqual(['orb-infy']);
    await feed.switchTo('other');
    expect(closed).toEqual(['demo']);
    expect(feed.store.getState().bots.map((b) => b.name)).toEqual(['theirs']);
    expect(await feed.run({ type: 'bot-kill' })).toMatchObject({ text: 'kill switch: 1 bot stopping, entries blocked' });
    expect(await r.store.bots.get(A, 'orb-infy')).toMatchObject({ entries_blocked: false });
    await feed.stop();
    expect(closed).toEqual(['demo', 'other']);
  });

  it('the detail: config, status and reason, and the event log scrolled with the keys', async () => {
    const { desk, feed } = await setup();
    const bot = await desk.create(A, ORB);
    await desk.start(A, 'orb-infy');
    await desk.stop(A, 'orb-infy');
    await feed.poll();
    const data = feed.store.getState();
    const open = botsKey(initialBotsUi(), '', { return: true }, { bots: data.bots, logLength: 0 })!.ui;
    expect(open.detail).toEqual({ id: bot.id, scroll: 0 });
    const frame = view(data, open);
    expect(frame).toContain(`name orb-infy (${bot.id}) · strategy orb · params (defaults) · symbols NSE:INFY`);
    expect(frame).toContain('status stopped (stopped by the user)');
    expect(frame).toMatch(/Events \(3\)/);
    expect(frame).toMatch(/\d+ {2}2026-11-23 10:00:00 {2}created {2}created \(version 1\)[\s\S]*start {2}start requested[\s\S]*stop {2}stop requested/);
    expect(frame).not.toContain('runner');
    // up scrolls to older events: the newest leaves the bottom of a short log window
    const up = botsKey(open, '', { upArrow: true }, { bots: data.bots, logLength: 3 })!.ui;
    expect(up.detail?.scroll).toBe(1);
    const short = view(data, up, {}, 160, 8);
    expect(short).toMatch(/Events \(3\), 1 newer below/);
    expect(short).not.toContain('stop requested');
    expect(botsKey(up, '', { escape: true }, { bots: data.bots, logLength: 3 })!.ui.detail).toBeNull();
  });
});

describe('Bots tab keys', () => {
  const bots = [
    { id: 'b0000001', name: 'one', desired: 'running' },
    { id: 'b0000002', name: 'two', desired: 'paused' },
  ];
  const ctx = { bots, logLength: 0 };
  it('s S x p f act on the selected bot; p resumes a paused one; keys that are not the tab\'s fall through', () => {
    const ui = initialBotsUi();
    expect(botsKey(ui, 's', {}, ctx)?.effect).toEqual({ type: 'bot', action: 'start', bot: 'b0000001' });
    expect(botsKey(ui, 'S', {}, ctx)?.effect).toEqual({ type: 'bot', action: 'stop', bot: 'b0000001' });
    expect(botsKey(ui, 'x', {}, ctx)?.effect).toEqual({ type: 'bot', action: 'stop', bot: 'b0000001' });
    expect(botsKey(ui, 'p', {}, ctx)?.effect).toEqual({ type: 'bot', action: 'pause', bot: 'b0000001' });
    expect(botsKey(ui, 'f', {}, ctx)?.effect).toEqual({ type: 'bot', action: 'flatten', bot: 'b0000001' });
    const second = botsKey(ui, 'j', {}, ctx)!.ui;
    expect(botsKey(second, 'p', {}, ctx)?.effect).toEqual({ type: 'bot', action: 'resume', bot: 'b0000002' });
    expect(botsKey(botsKey(second, 'j', {}, ctx)!.ui, '', {}, ctx)).toBeNull();
    for (const k of ['q', '1', '?', 'r']) expect(botsKey(ui, k, {}, ctx)).toBeNull();
    expect(botsKey(ui, 's', {}, { bots: [], logLength: 0 })?.message?.tone).toBe('error');
  });

  it('K asks naming the count; y kills, anything else cancels', () => {
    const asked = botsKey(initialBotsUi(), 'K', {}, ctx)!;
    expect(asked.ui.confirmKill).toEqual({ count: 2 });
    expect(asked.effect).toBeUndefined();
    expect(botsKey(asked.ui, 'y', {}, ctx)).toMatchObject({ ui: { confirmKill: null }, effect: { type: 'bot-kill' } });
    const no = botsKey(asked.ui, 'n', {}, ctx)!;
    expect(no.effect).toBeUndefined();
    expect(no.ui.confirmKill).toBeNull();
    expect(botsKey(initialBotsUi(), 'K', {}, { bots: [], logLength: 0 })?.ui.confirmKill).toBeNull();
  });
});
