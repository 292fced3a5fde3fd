import { describe, expect, it } from 'vitest';
import { allowedHosts, hostAllowed } from '../../src/server/host-check.js';

describe('Host header check', () => {
  const allowed = allowedHosts('127.0.0.1', 8000);

  it.each([
    ['127.0.0.1:8000', true],
    ['localhost:8000', true],
    ['LOCALHOST:8000', true],
    ['localhost', true],
    ['127.0.0.1', false],
    ['127.0.0.1:8001', false],
    ['localhost:8001', false],
    ['evil.example:8000', false],
    ['attacker.test', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (host, ok) => {
    expect(hostAllowed(allowed, host)).toBe(ok);
  });

  it('brackets an IPv6 listening address', () => {
    const v6 = allowedHosts('::1', 9000);
    expect(hostAllowed(v6, '[::1]:9000')).toBe(true);
    expect(hostAllowed(v6, '::1:9000')).toBe(false);
  });

  it('on a wildcard bind, accepts the loopback interface with the port but still no stranger', () => {
    const any = allowedHosts('0.0.0.0', 8000);
    expect(hostAllowed(any, '127.0.0.1:8000')).toBe(true);
    expect(hostAllowed(any, 'rebind.example:8000')).toBe(false);
    expect(hostAllowed(any, '0.0.0.0:8000')).toBe(false);
  });
});
