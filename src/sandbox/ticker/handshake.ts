import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PERMISSION_MESSAGE } from '../../core/kite/plans.js';

export type VerifyAccessToken = (apiKey: string, accessToken: string) => string | null;

export type HandshakeResult = { userId: string } | { status: 403 | 404; errorType: string; message: string };

/**
 * Decides an upgrade request the way Kite does: the ticker lives at `/`, and
 * `?api_key=..&access_token=..` must name a live session (the client's `&uid=` is ignored); an app
 * without live market data (`marketData` false) is refused with 403 even with a valid session.
 */
export function checkHandshake(req: IncomingMessage, verify: VerifyAccessToken, marketData = true): HandshakeResult {
  const url = new URL(req.url ?? '/', 'ws://sandbox');
  if (url.pathname !== '/') {
    return { status: 404, errorType: 'GeneralException', message: 'the ticker is at /' };
  }
  const apiKey = url.searchParams.get('api_key');
  const accessToken = url.searchParams.get('access_token');
  const denied = {
    status: 403,
    errorType: 'TokenException',
    message: 'Incorrect `api_key` or `access_token`.',
  } as const;
  if (!apiKey || !accessToken) return denied;
  let userId: string | null;
  try {
    userId = verify(apiKey, accessToken);
  } catch {
    userId = null;
  }
  if (!userId) return denied;
  return marketData ? { userId } : { status: 403, errorType: 'PermissionException', message: PERMISSION_MESSAGE };
}

/** Answers an upgrade request with a plain HTTP error (a Kite-shaped JSON body) and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, errorType: string, message: string): void {
  const body = JSON.stringify({ status: 'error', message, error_type: errorType });
  socket.once('finish', () => socket.destroy());
  socket.once('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
