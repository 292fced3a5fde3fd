import { once } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TEST_TOKENS } from '../helpers/ticker-market.js';
import {
  startTickerServer,
  TICKER_ACCESS_TOKEN,
  TICKER_API_KEY,
  type TickerServer,
  waitUntil,
} from '../helpers/ticker-server.js';

const { INFY, RELIANCE, NIFTY } = TEST_TOKENS;
const AUTH = `api_key=${TICKER_API_KEY}&access_token=${TICKER_ACCESS_TOKEN}&uid=1`;

interface RawClient {
  ws: WebSocket;
  binary: Buffer[];
  text: { type: string; data: unknown }[];
  send(text: string | Buffer): void;
}

const clients: WebSocket[] = [];

/** A plain `ws` client that records every frame it gets. */
async function connect(root: string, query = AUTH): Promise<RawClient> {
  const ws = new WebSocket(`${root}?${query}`);
  clients.push(ws);
  const c: RawClient = { ws, binary: [], text: [], send: (m) => ws.send(m) };
  ws.on('message', (data, isBinary) => {
    if (isBinary) c.binary.push(data as Buffer);
    else c.text.push(JSON.parse(String(data)));
  });
  await once(ws, 'open');
  return c;
}

/** Tries a handshake that should be refused; resolves with the HTTP status and body. */
async function refused(url: string): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(url);
  ws.on('error', () => undefined);
  const [req, res] = (await once(ws, 'unexpected-response')) as [ClientRequest, IncomingMessage];
  let body = '';
  for await (const chunk of res) body += String(chunk);
  req.destroy();
  return { status: res.statusCode ?? 0, body };
}

const packetCount = (frame: Buffer): number => frame.readUInt16BE(0);
const tokensIn = (frame: Buffer): number[] => {
  const tokens: number[] = [];
  for (let i = 0, at = 2; i < packetCount(frame); i++) {
    tokens.push(frame.readUInt32BE(at + 2));
    at += 2 + frame.readUInt16BE(at);
  }
  return tokens;
};

let sb: TickerServer;
beforeAll(async () => {
  sb = await startTickerServer({ tickIntervalMs: 50, heartbeatIntervalMs: 50 });
});
afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});
afterAll(async () => {
  await sb.close();
});

describe('sandbox ticker protocol (plain ws client)', () => {
  it('sends 1-byte heartbeats, and nothing else, while nothing is subscribed', async () => {
    const c = await connect(sb.root);
    await waitUntil(() => c.binary.length >= 3, 'three heartbeats');
    expect(c.binary.map((b) => b.length)).toEqual(c.binary.map(() => 1));
    expect(c.text).toEqual([]);
  });

  it('refuses a bad, a missing or a wrong-key token with 403 and a TokenException body', async () => {
    const urls = [
      `${sb.root}?api_key=${TICKER_API_KEY}&access_token=wrong&uid=1`,
      `${sb.root}?api_key=${TICKER_API_KEY}&uid=1`,
      `${sb.root}?api_key=other&access_token=${TICKER_ACCESS_TOKEN}`,
      sb.root,
    ];
    for (const url of urls) {
      const { status, body } = await refused(url);
      expect(status).toBe(403);
      expect(JSON.parse(body)).toMatchObject({ status: 'error', error_type: 'TokenException' });
      expect(body).not.toContain(TICKER_ACCESS_TOKEN);
    }
  });

  it('answers 404 for an upgrade on another path', async () => {
    expect((await refused(`ws://127.0.0.1:${sb.port}/elsewhere?${AUTH}`)).status).toBe(404);
  });

  it('answers malformed messages with an error text frame and keeps the connection', async () => {
    const c = await connect(sb.root);
    c.send('garbage');
    c.send('{"a":"mode","v":["fast",[408065]]}');
    c.send('{"a":"subscribe","v":"408065"}');
    c.send(Buffer.from([1, 2, 3]));
    await waitUntil(() => c.text.length >= 4, 'four error messages');
    for (const m of c.text) {
      expect(m.type).toBe('error');
      expect(String(m.data)).toMatch(/"a":"subscribe"|binary/);
    }
    c.send(JSON.stringify({ a: 'subscribe', v: [INFY] }));
    await waitUntil(() => c.binary.some((b) => b.length > 1), 'a tick frame');
    const frame = c.binary.find((b) => b.length > 1)!;
    expect(tokensIn(frame)).toEqual([INFY]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('sends each connection its own subscriptions', async () => {
    const a = await connect(sb.root);
    const b = await connect(sb.root);
    a.send(JSON.stringify({ a: 'subscribe', v: [INFY, NIFTY] }));
    b.send(JSON.stringify({ a: 'subscribe', v: [RELIANCE] }));
    await waitUntil(() => a.binary.filter((f) => f.length > 1).length >= 3, 'frames on a');
    await waitUntil(() => b.binary.filter((f) => f.length > 1).length >= 3, 'frames on b');
    expect(new Set(a.binary.filter((f) => f.length > 1).map((f) => tokensIn(f).join()))).toEqual(new Set([`${INFY},${NIFTY}`]));
    expect(new Set(b.binary.filter((f) => f.length > 1).map((f) => tokensIn(f).join()))).toEqual(new Set([`${RELIANCE}`]));
  });
});

describe('sandbox ticker limits and shutdown', () => {
  it('subscribes at most maxSubscriptions instruments and says so', async () => {
    const small = await startTickerServer({ maxSubscriptions: 2 });
    try {
      const c = await connect(small.root);
      c.send(JSON.stringify({ a: 'subscribe', v: [INFY, RELIANCE, NIFTY] }));
      await waitUntil(() => c.text.length > 0 && c.binary.some((b) => b.length > 1), 'an error and a frame');
      expect(c.text[0]).toEqual({ type: 'error', data: expect.stringMatching(/limit of 2 instruments.*1 not subscribed/) });
      expect(tokensIn(c.binary.find((b) => b.length > 1)!)).toEqual([INFY, RELIANCE]);
    } finally {
      await small.close();
    }
  });

  it('close() closes open connections with 1001 and refuses new ones', async () => {
    const own = await startTickerServer();
    const c = await connect(own.root);
    const closed = once(c.ws, 'close');
    await own.ticker.close();
    const [code] = (await closed) as [number];
    expect(code).toBe(1001);
    await own.close();
    const ws = new WebSocket(`${own.root}?${AUTH}`);
    const [err] = (await once(ws, 'error')) as [Error];
    expect(err.message).toMatch(/ECONNREFUSED/);
  });
});
