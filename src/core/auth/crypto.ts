import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');
let loaded: Crypto | undefined;

/**
 * node:crypto, loaded on first use. Loading it costs ~2-3 ms of start-up, and the commands that
 * only read a session (whoami, paper ...) never need it; login and the REST API do.
 */
export function nodeCrypto(): Crypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as Crypto;
  return loaded;
}
