import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { LoginStates } from '../../src/server/login-states.js';

describe('LoginStates', () => {
  it('gives back the profile once, and only for the exact state', () => {
    const states = new LoginStates(new ManualClock(0));
    const s = states.issue('alice');
    expect(s).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(states.take(`${s}x`)).toBeNull();
    expect(states.take(s)).toBe('alice');
    expect(states.take(s)).toBeNull();
  });

  it('forgets a state after its time', () => {
    const clock = new ManualClock(0);
    const states = new LoginStates(clock, 60_000);
    const s = states.issue('p');
    clock.advance(60_001);
    expect(states.take(s)).toBeNull();
  });

  it('keeps at most `max` pending states, dropping the oldest', () => {
    const states = new LoginStates(new ManualClock(0), 60_000, 2);
    const a = states.issue('a');
    const b = states.issue('b');
    const c = states.issue('c');
    expect(states.take(a)).toBeNull();
    expect(states.take(b)).toBe('b');
    expect(states.take(c)).toBe('c');
  });
});
