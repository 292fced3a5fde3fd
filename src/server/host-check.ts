import os from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

function bracket(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * The Host header values this server answers to (a defence against DNS rebinding): the
 * listening address with its port, and localhost with or without it. A server bound to every
 * interface also answers to each local interface address with the port.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const addresses = WILDCARDS.has(host)
    ? Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address))
    : [host];
  const allowed = new Set([`localhost:${port}`, 'localhost']);
  for (const a of addresses) allowed.add(`${bracket(a)}:${port}`.toLowerCase());
  return allowed;
}

export function hostAllowed(allowed: Set<string>, header: string | undefined): boolean {
  return header !== undefined && allowed.has(header.toLowerCase());
}

/**
 * How many Host header lines a request carried (node keeps only the first in `headers.host`).
 * RFC 9112 section 3.2: a server must answer 400 to a request with more than one.
 */
export function hostHeaderCount(rawHeaders: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') n++;
  return n;
}
