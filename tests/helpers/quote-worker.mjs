// A child process that asks one sandbox for quotes through the built KiteClient (the real
// kiteconnect client underneath), sharing Kite's rate limits through a folder with its siblings.
// usage: node quote-worker.mjs CLIENT_MODULE_URL API_ROOT API_KEY ACCESS_TOKEN RATE_LIMIT_DIR COUNT
// Prints "ready", waits for "go" on stdin, then one line per quote: "ok <wall ms>" or "error <message>".
import { once } from 'node:events';

const [clientUrl, apiRoot, apiKey, accessToken, dir, countText] = process.argv.slice(2);
const { KiteClient } = await import(clientUrl);
const client = await KiteClient.open({ apiKey, accessToken, apiRoot, clock: { now: () => Date.now() }, rateLimitDir: dir });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.destroy();
for (let i = 0; i < Number(countText); i++) {
  try {
    await client.quote(['NSE:INFY']);
    process.stdout.write(`ok ${Date.now()}\n`);
  } catch (e) {
    process.stdout.write(`error ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
