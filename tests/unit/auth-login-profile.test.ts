import { describe, expect, it } from 'vitest';
import { loginProfile, otherUserThan, profilesOfUser } from '../../src/core/auth/login-profile.js';
import type { ConfigFile } from '../../src/core/config.js';
import { UsageError } from '../../src/core/errors.js';

const file: ConfigFile = {
  profiles: {
    a: { apiKey: 'sandbox_api_key', sandbox: true, userId: 'SB0001' },
    a2: { apiKey: 'sandbox_api_key', sandbox: true, userId: 'SB0001' },
    free: { apiKey: 'sandbox_api_key', sandbox: true },
    live: { apiKey: 'k', apiSecret: 's', userId: 'AB1234' },
  },
};
const opts = { allowNew: false, otherKindHint: (s: boolean) => (s ? 'use live' : 'use sandbox') };

describe('loginProfile: one rule for algo login and the API', () => {
  it('a bound profile expects its user; an unbound one any', () => {
    expect(loginProfile(file, 'a', true, opts).expectedUserId).toBe('SB0001');
    expect(loginProfile(file, 'free', true, opts).expectedUserId).toBeUndefined();
    expect(loginProfile(file, 'live', false, opts).expectedUserId).toBe('AB1234');
  });

  it('another user than the bound one is refused unless forced', () => {
    const a = loginProfile(file, 'a', true, opts);
    expect(otherUserThan(a, 'SB0002')).toBe('SB0001');
    expect(otherUserThan(a, 'SB0001')).toBeUndefined();
    expect(otherUserThan(a, 'SB0002', true)).toBeUndefined();
    expect(otherUserThan(loginProfile(file, 'free', true, opts), 'SB0002')).toBeUndefined();
  });

  it('a profile of the other kind is refused with the caller\'s hint', () => {
    expect(() => loginProfile(file, 'live', true, opts)).toThrow(new UsageError('profile live is a live Kite profile, not a sandbox one', 'use sandbox'));
    expect(() => loginProfile(file, 'a', false, opts)).toThrow('profile a is a sandbox profile');
  });

  it('an unknown profile is refused unless the caller allows a new one; inherited names are no profile', () => {
    expect(() => loginProfile(file, 'nonexistent', true, opts)).toThrow('no profile named "nonexistent"');
    expect(() => loginProfile(file, 'constructor', true, opts)).toThrow('no profile named "constructor"');
    expect(loginProfile(file, 'nonexistent', true, { ...opts, allowNew: true })).toEqual({ name: 'nonexistent', profile: undefined, expectedUserId: undefined });
  });

  it('profilesOfUser lists every profile bound to a user', () => {
    expect(profilesOfUser(file, 'SB0001')).toEqual(['a', 'a2']);
    expect(profilesOfUser(file, 'SB0003')).toEqual([]);
  });
});
