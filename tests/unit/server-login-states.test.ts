import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { clientKey, LoginStates } from '../../src/server/login-states.js';

const A = '127.0.0.1';
const B = '192.0.2.7';

describe('LoginStates', () => {
  it('gives back the profile once, and only for the exact state', () => {
    const states = new LoginStates(new ManualClock(0));
    const s = states.issue('alice', A);
    expect(s).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(states.take(`${s}x`)).toBeNull();
    expect(states.take(s)).toBe('alice');
    expect(states.take(s)).toBeNull();
  });

  it('forgets a state after its time', () => {
    const clock = new ManualClock(0);
    const states = new LoginStates(clock, 60_000);
    const s = states.issue('p', A);
    clock.advance(60_001);
    expect(states.take(s)).toBeNull();
  });

  it('keeps at most `max` pending states, dropping the oldest', () => {
    const states = new LoginStates(new ManualClock(0), 60_000, 2);
    const a = states.issue('a', A);
    const b = states.issue('b', A);
    const c = states.issue('c', A);
    expect(states.take(a)).toBeNull();
    expect(states.take(b)).toBe('b');
    expect(states.take(c)).toBe('c');
  });

  it("a client flooding the table drops only its own oldest states, never another client's", () => {
    const states = new LoginStates(new ManualClock(0), 60_000, 256, 4);
    const mine = states.issue('me', A);
    const flood = Array.from({ length: 1000 }, () => states.issue('x', B));
    expect(states.size(B)).toBe(4);
    expect(states.size()).toBe(5);
    expect(states.take(flood[0]!)).toBeNull(); // the flooder's oldest went first
    expect(states.take(flood[999]!)).toBe('x');
    expect(states.take(mine)).toBe('me');
  });

  it('when the whole table is full, the client with the most pending states loses its oldest', () => {
    const states = new LoginStates(new ManualClock(0), 60_000, 6, 4);
    const mine = states.issue('me', A);
    const c1 = states.issue('c', '192.0.2.1');
    const flood = Array.from({ length: 4 }, () => states.issue('x', B));
    expect(states.size()).toBe(6);
    // A seventh state from a newcomer: B (4 pending) pays, not A or 192.0.2.1 (1 each).
    const other = states.issue('o', '192.0.2.2');
    expect(states.size()).toBe(6);
    expect(states.take(flood[0]!)).toBeNull();
    for (const s of [mine, c1, other, ...flood.slice(1)]) expect(states.take(s)).not.toBeNull();
  });

  it('the full table makes the asking client pay first when it holds as many as anyone', () => {
    const states = new LoginStates(new ManualClock(0), 60_000, 4, 4);
    const mine = [states.issue('me', A), states.issue('me', A)];
    const theirs = [states.issue('x', B), states.issue('x', B)];
    const next = states.issue('x', B);
    expect(states.take(theirs[0]!)).toBeNull();
    for (const s of [...mine, theirs[1]!, next]) expect(states.take(s)).not.toBeNull();
  });

  it('expired states free their place in both bounds', () => {
    const clock = new ManualClock(0);
    const states = new LoginStates(clock, 1000, 4, 2);
    states.issue('x', B);
    states.issue('x', B);
    clock.advance(1001);
    expect(states.take(states.issue('x', B))).toBe('x');
    expect(states.size()).toBe(0);
  });
});

describe('clientKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:0:1:aaaa::1', '2001:db8:0:1::/64'],
    ['2001:db8:0:1:bbbb:cccc:dddd:eeee', '2001:db8:0:1::/64'],
    ['2001:0DB8::5', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, '?'],
  ])('%s -> %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
