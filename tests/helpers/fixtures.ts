import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Kite Connect fixtures the tests read (see tests/fixtures/kite/README.md). */
export const KITE_FIXTURES = fileURLToPath(new URL('../fixtures/kite/', import.meta.url));

/** The absolute path of one Kite fixture, by file name (e.g. `orders.json`, `fullMode_binary.packet`). */
export function kiteFixture(name: string): string {
  return `${KITE_FIXTURES}${name}`;
}

/** One Kite fixture's bytes. */
export function readKiteFixture(name: string): Buffer {
  return readFileSync(kiteFixture(name));
}

/** One Kite JSON fixture, parsed. */
export function kiteJson<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(kiteFixture(name), 'utf8')) as T;
}
