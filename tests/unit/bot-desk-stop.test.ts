import { describe, expect, it } from 'vitest';
import { BotDesk, WAITING } from '../../src/app/bots.js';
import type { BotInput } from '../../src/app/bot-config.js';
import { describeError } from '../../src/core/errors.js';
import { buy, rig, sell, type Rig } from '../helpers/paper.js';

/** The fail-safe stop: with no runner, the desk says stopped only for a bot with nothing open. */
const A = 'AB1234';
const ORB: BotInput & { name: string } = { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: '10' };

async function runningBot(): Promise<{ r: Rig; d: BotDesk; id: string }> {
  const r = rig();
  const d = new BotDesk({ bots: r.store.bots, paper: r.store, clock: r.clock });
  const bot = await d.create(A, ORB);
  await d.start(A, ORB.name);
  // a runner took it, set it running, then died (its lease expired)
  const lease = await r.store.bots.acquireLease(A, bot.id, 'dead-runner', r.clock.now(), 10_000);
  expect(lease).not.toBeNull();
  await r.store.bots.update(A, bot.id, (await d.show(A, bot.id)).rev, { status: 'running' }, r.clock.now());
  r.clock.advance(11_000);
  return { r, d, id: bot.id };
}

const refusal = (p: Promise<unknown>): Promise<string> => p.then(() => 'no refusal', (e: unknown) => describeError(e));

describe('BotDesk fail-safe stop', () => {
  it('a bot whose runner died holding a position stays running, waiting for a runner; edit and rm say still stopping', async () => {
    const { r, d, id } = await runningBot();
    await r.service.place(A, buy('INFY', 10, { product: 'MIS', tag: id }));
    const stopped = await d.stop(A, ORB.name);
    expect(stopped).toMatchObject({ desired: 'stopped', status: 'running', status_reason: WAITING });
    expect(await refusal(d.edit(A, ORB.name, { qty: '5' }))).toBe(
      'bot orb-infy is still stopping (running with positions open, waiting for a runner: start `algo bot run` or `algo serve`); then edit it once algo bot show orb-infy says stopped',
    );
    expect(await refusal(d.remove(A, ORB.name))).toMatch(/^bot orb-infy is still stopping \(running with positions open, waiting for a runner: .*\); then remove it once/);
    expect(await d.list(A)).toHaveLength(1);
    // started again before a runner came: the waiting note goes
    expect(await d.start(A, ORB.name)).toMatchObject({ desired: 'running', status: 'running', status_reason: null });
  });

  it('kill leaves an open bot to a runner too (entries blocked), and stops a flat one itself', async () => {
    const { r, d, id } = await runningBot();
    const flat = await d.create(A, { ...ORB, name: 'flat' });
    await d.start(A, 'flat');
    await r.store.bots.update(A, flat.id, (await d.show(A, 'flat')).rev, { status: 'running' }, r.clock.now());
    // flat traded and came back to zero; orb-infy holds 4 (10 bought, 6 sold)
    await r.service.place(A, buy('INFY', 3, { product: 'MIS', tag: flat.id }));
    await r.service.place(A, sell('INFY', 3, { product: 'MIS', tag: flat.id }));
    await r.service.place(A, buy('INFY', 10, { product: 'MIS', tag: id }));
    await r.service.place(A, sell('INFY', 6, { product: 'MIS', tag: id }));
    const killed = await d.kill(A);
    expect(killed.map((b) => [b.name, b.desired, b.status, b.entries_blocked, b.status_reason])).toEqual([
      ['flat', 'stopped', 'stopped', true, 'kill switch'],
      ['orb-infy', 'stopped', 'running', true, WAITING],
    ]);
  });

  it("a bot with no net position of its own stops at once, whatever the person's own trades in the symbol", async () => {
    const { r, d } = await runningBot();
    await r.service.place(A, buy('INFY', 7, { product: 'MIS' }));
    expect(await d.stop(A, ORB.name)).toMatchObject({ desired: 'stopped', status: 'stopped', status_reason: 'stopped by the user' });
    expect((await d.edit(A, ORB.name, { qty: '5' })).version).toBe(2);
  });

  it('a pending outbox order counts as open', async () => {
    const { r, d, id } = await runningBot();
    const lease = await r.store.bots.acquireLease(A, id, 'r2', r.clock.now(), 10_000);
    await r.store.bots.putOrders(A, id, lease!.token, r.clock.now(), [{ key: 'k1', minute: r.clock.now(), request: {} }]);
    r.clock.advance(11_000);
    expect(await d.holdsPositions(A, await d.show(A, id))).toBe(true);
    expect(await d.stop(A, ORB.name)).toMatchObject({ status: 'running', status_reason: WAITING });
  });

  it('halted or needs_review: no runner acts on those, so stop is the last word and says stopped', async () => {
    const { r, d, id } = await runningBot();
    await r.service.place(A, buy('INFY', 10, { product: 'MIS', tag: id }));
    await r.store.bots.update(A, id, (await d.show(A, id)).rev, { status: 'needs_review', status_reason: 'keys differ' }, r.clock.now());
    expect(await d.stop(A, ORB.name)).toMatchObject({ desired: 'stopped', status: 'stopped' });
  });
});
