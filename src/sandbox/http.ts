import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxHttpError } from './errors.js';

const MAX_BODY_BYTES = 64 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendData(res: ServerResponse, data: unknown): void {
  sendJson(res, 200, { status: 'success', data });
}

export function sendError(res: ServerResponse, err: SandboxHttpError): void {
  sendJson(res, err.status, err.envelope());
}

/** Kite's CSV: the client parses it only when the content type is exactly `text/csv`. */
export function sendCsv(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A form-urlencoded request body (or an empty one), at most 64 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SandboxHttpError('InputException', 'Request body is too large', 413);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
