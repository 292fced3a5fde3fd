// A child process that hammers one paper account through the built SQLite store.
// usage: node store-worker.mjs STORE_MODULE_URL DB_FILE USER_ID COUNT LABEL STATUS PAUSE_MS
// Prints "ready" once the store is open, waits for "go" on stdin, prints "committed" after its
// first commit, then "done N" after COUNT updates, pausing PAUSE_MS between them (0: just yield). Each update adds one to meta.seq and inserts
// order O<seq> tagged LABEL, so a lost or doubled update shows as a gap or a missing order.
import { once } from 'node:events';

const [storeUrl, file, userId, countText, label, status, pauseText] = process.argv.slice(2);
const pauseMs = Number(pauseText ?? 0);
const count = Number(countText);
const { openSqliteStore } = await import(storeUrl);
const store = openSqliteStore(file);
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.destroy();

function newMeta() {
  return {
    user_id: userId, capital: 10_000_000, available: 10_000_000, blocked: 0, realised_pnl: 0, charges: 0,
    version: 0, seq: 0, processed_until: 0, created_at: 0, daily_equity: [],
  };
}

function order(seq) {
  return {
    order_id: `O${seq}`, user_id: userId, exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 408065,
    transaction_type: 'BUY', order_type: 'LIMIT', product: 'CNC', validity: 'DAY', quantity: 1, price: 150_000,
    trigger_price: 0, status, status_message: null, filled_quantity: 0, average_price: 0, blocked_margin: 0,
    tag: label, placed_at: seq, updated_at: seq,
  };
}

for (let i = 0; i < count; i++) {
  await store.update(userId, (state) => {
    const meta = state.meta ?? newMeta();
    const seq = meta.seq + 1;
    return { change: { meta: { ...meta, seq }, orders: [order(seq)] }, result: seq };
  });
  if (i === 0) process.stdout.write('committed\n');
  await new Promise((resolve) => (pauseMs > 0 ? setTimeout(resolve, pauseMs) : setImmediate(resolve)));
}
await store.close();
process.stdout.write(`done ${count}\n`);
