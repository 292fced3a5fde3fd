import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlgoError } from '../../src/core/errors.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import { cliFixture, ensureBuilt } from '../helpers/cli.js';
import { commit, orderDoc, positionDoc, tradeDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

/** A row of algo.db damaged outside algo: one line naming the file, the account and `algo doctor`; never raw JavaScript text. */

const U = 'AB1234';

/** Overwrite one doc column with raw SQL, as another tool (or a torn edit) would. */
function vandalize(file: string, sql: string): void {
  const db = new Database(file);
  db.prepare(sql).run();
  db.close();
}

describe('a damaged row in the SQLite store', () => {
  const sqlite = sqliteFixture(afterEach);

  async function seeded(): Promise<string> {
    const file = sqlite.file();
    const store = openSqliteStore(file);
    await commit(store, U, {
      orders: [orderDoc(U, 'O1', { status: 'COMPLETE' }), orderDoc(U, 'O2')],
      positions: [positionDoc(U, 'NSE:INFY:CNC')],
      trades: [tradeDoc(U, 'T1', 'O1')],
    });
    await commit(store, 'CD5678', {});
    await store.close();
    return file;
  }

  const expectDamaged = async (p: Promise<unknown>, file: string, what: string, why = 'not JSON') => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AlgoError);
    expect((err as AlgoError).message).toBe(`the paper store ${file} has a damaged ${what} row for account ${U} (${why})`);
    expect((err as AlgoError).hint).toMatch(/^run `algo doctor` to list the damaged rows; restore the file from a backup/);
    expect((err as AlgoError).message).not.toMatch(/JSON at position|Unexpected token|Expected property/);
  };

  it('an account row: every read of that account names it; other accounts are unaffected', async () => {
    const file = await seeded();
    vandalize(file, `UPDATE meta SET doc = '{x' WHERE user_id = '${U}'`);
    const store = sqlite.open(file);
    await expectDamaged(store.load(U), file, 'account');
    await expectDamaged(store.meta(U), file, 'account');
    await expectDamaged(store.update(U, () => ({ change: null, result: 1 })), file, 'account');
    expect((await store.meta('CD5678'))?.user_id).toBe('CD5678');
    const err = await store.meta(U).catch((e: AlgoError) => e);
    expect((err as AlgoError).hint).toBe('run `algo doctor` to list the damaged rows; restore the file from a backup');
  });

  it('an order, a position and a trade row, and a doc that is JSON but not an object', async () => {
    const file = await seeded();
    const store = sqlite.open(file);
    vandalize(file, "UPDATE orders SET doc = '{\"order_id\": \"O2\", trunc' WHERE order_id = 'O2'");
    await expectDamaged(store.load(U), file, 'order');
    await expectDamaged(store.orders(U), file, 'order');
    await expectDamaged(store.order(U, 'O2'), file, 'order');
    expect((await store.order(U, 'O1'))?.order_id).toBe('O1');
    const err = await store.orders(U).catch((e: AlgoError) => e);
    expect((err as AlgoError).hint).toBe(`run \`algo doctor\` to list the damaged rows; restore the file from a backup, or start account ${U} afresh with \`algo paper reset\``);

    vandalize(file, "UPDATE positions SET doc = 'null'");
    await expectDamaged(store.positions(U), file, 'position', 'not a JSON object');
    vandalize(file, 'UPDATE trades SET doc = 42'); // TEXT affinity: the text '42'
    await expectDamaged(store.trades(U), file, 'trade', 'not a JSON object');
    vandalize(file, "UPDATE trades SET doc = x'7b7d'");
    await expectDamaged(store.trades(U, 'O1'), file, 'trade', 'its doc is a blob, not JSON text');
  });
});

describe('a damaged row through the CLI', () => {
  const AT = '2026-11-25T10:00:00+05:30';
  const { dataDir, algo } = cliFixture(afterEach, AT, 'algo-damage-');
  let dir: string;
  beforeAll(() => ensureBuilt(), 180_000);
  afterAll(() => undefined);

  it('algo paper names the file, the account and algo doctor; doctor lists the row; reset mends an order row', async () => {
    dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'a'])).code).toBe(0);
    const buy = await algo(dir, ['paper', 'buy', 'INFY', '1', '--profile', 'a']);
    expect(buy.code, buy.stderr).toBe(0);
    const file = path.join(dir, 'algo.db');
    const orderId = (JSON.parse((await algo(dir, ['paper', 'orders', '--json', '--profile', 'a'])).stdout) as Array<{ order_id: string }>)[0]!.order_id;
    vandalize(file, `UPDATE orders SET doc = '{' || 'broken' WHERE order_id = '${orderId}'`);

    const r = await algo(dir, ['paper', 'orders', '--profile', 'a']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `algo: the paper store ${file} has a damaged order row for account SB0001 (not JSON); run \`algo doctor\` to list the damaged rows; restore the file from a backup, or start account SB0001 afresh with \`algo paper reset\`\n`,
    );

    const doctor = await algo(dir, ['doctor', '--sandbox']);
    expect(doctor.code).toBe(1);
    const rowsLine = doctor.stdout.split('\n').find((l) => l.startsWith('FAIL  store rows'));
    expect(rowsLine?.replace(/ {2,}/g, '  ')).toBe(
      `FAIL  store rows  SQLite ${file}: 1 damaged row (not a JSON object): order ${orderId} of account SB0001 -> restore the file from a backup, or start account SB0001 afresh with \`algo paper reset\``,
    );
    expect(doctor.stdout).toMatch(/^ok {4}store +SQLite .*algo\.db: integrity ok, schema \d+$/m);

    expect((await algo(dir, ['paper', 'reset', '--yes', '--profile', 'a'])).code).toBe(0);
    const orders = await algo(dir, ['paper', 'orders', '--json', '--profile', 'a']);
    expect(orders.code, orders.stderr).toBe(0);
    expect(JSON.parse(orders.stdout)).toEqual([]);
    expect((await algo(dir, ['doctor', '--sandbox'])).stdout).toMatch(/^ok {4}store rows +every account, order, position and trade is readable$/m);
  }, 120_000);

  it("--store at another program's SQLite file: refused in one line, the file unchanged", async () => {
    dir = dataDir();
    expect((await algo(dir, ['login', '--sandbox', '--user', 'SB0001', '--profile', 'a'])).code).toBe(0);
    const other = path.join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec("CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://example.invalid')");
    db.close();
    const bytes = fs.readFileSync(other);
    const r = await algo(dir, ['paper', 'funds', '--profile', 'a', '--store', `sqlite:${other}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `algo: ${other} is not an algo paper store (another program's SQLite database: tables bookmarks); it was left unchanged; point --store (or ALGO_STORE) at an algo file, or at a new one; \`algo doctor\` checks the store\n`,
    );
    expect(fs.readFileSync(other).equals(bytes)).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('other.sqlite'))).toEqual(['other.sqlite']);
    const doctor = await algo(dir, ['doctor', '--sandbox', '--store', `sqlite:${other}`]);
    expect(doctor.stderr).toBe('');
    expect(doctor.stdout).toMatch(/^FAIL {2}store +SQLite .*other\.sqlite is not an algo paper store \(another program's database: tables bookmarks\) -> point --store \(or ALGO_STORE\) at an algo file, or at a new one$/m);
    expect(fs.readFileSync(other).equals(bytes)).toBe(true);
  }, 60_000);
});
