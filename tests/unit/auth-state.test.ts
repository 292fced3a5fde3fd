import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../src/core/auth/compare.js';
import { buildLoginUrl, parsePastedUrl } from '../../src/core/auth/login-url.js';
import { newState, stateMatches } from '../../src/core/auth/state.js';
import { UsageError } from '../../src/core/errors.js';

describe('state', () => {
  it('is long, URL-safe and different every time', () => {
    const states = new Set(Array.from({ length: 200 }, () => newState()));
    expect(states.size).toBe(200);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches only the exact value', () => {
    const s = newState();
    expect(stateMatches(s, s)).toBe(true);
    expect(stateMatches(s, `${s}x`)).toBe(false);
    expect(stateMatches(s, s.slice(0, -1))).toBe(false);
    expect(stateMatches(s, s.toUpperCase() === s ? s.toLowerCase() : s.toUpperCase())).toBe(false);
    expect(stateMatches(s, '')).toBe(false);
    expect(stateMatches(s, null)).toBe(false);
    expect(stateMatches(s, undefined)).toBe(false);
  });

  it('constantTimeEqual compares content and length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('login URL', () => {
  it('carries v=3, the api key and the state in redirect_params', () => {
    const url = new URL(buildLoginUrl('https://kite.zerodha.com/connect/login', 'my_key', 'st-ate_1'));
    expect(url.origin + url.pathname).toBe('https://kite.zerodha.com/connect/login');
    expect(url.searchParams.get('v')).toBe('3');
    expect(url.searchParams.get('api_key')).toBe('my_key');
    expect(url.searchParams.get('redirect_params')).toBe('state=st-ate_1');
    expect(url.search).toContain('redirect_params=state%3Dst-ate_1');
    expect(url.searchParams.has('redirect_url')).toBe(false);
  });

  it('adds redirect_url (sandbox) and keeps a custom base', () => {
    const url = new URL(buildLoginUrl('http://127.0.0.1:9000/connect/login', 'k', 's', 'http://127.0.0.1:4321/callback'));
    expect(url.host).toBe('127.0.0.1:9000');
    expect(url.searchParams.get('redirect_url')).toBe('http://127.0.0.1:4321/callback');
  });

  it('never includes a secret', () => {
    const text = buildLoginUrl('https://kite.zerodha.com/connect/login', 'k', 's');
    expect(text).not.toMatch(/secret|access_token|checksum/);
  });
});

describe('pasted URL', () => {
  it('reads state, request_token and status', () => {
    const p = parsePastedUrl('  http://127.0.0.1:5959/callback?action=login&type=login&status=success&request_token=RT1&state=abc \n');
    expect(p).toEqual({ state: 'abc', requestToken: 'RT1', status: 'success' });
  });

  it('refuses text that is not a URL', () => {
    expect(() => parsePastedUrl('request_token=RT1')).toThrow(UsageError);
  });
});
