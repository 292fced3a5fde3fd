import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTestApi } from '../helpers/server.js';

describe('shutdown', () => {
  it('is bounded: a request that never completes is cut off after the grace period, and close() resolves', async () => {
    const api = await startTestApi({ shutdownGraceMs: 300 });
    const token = await api.addSession('SD0001');
    const url = new URL(api.url);
    const hung = new Promise<string>((resolve) => {
      const req = http.request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/paper-trading/orders',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': '100', 'x-session-token': token },
      });
      req.on('error', (e) => resolve(e.message));
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
      req.write('{"tradingsymbol":'); // and never the rest
    });
    await new Promise((r) => setTimeout(r, 100));
    await api.close();
    expect(await hung).toMatch(/socket hang up|ECONNRESET/);
  });
});
