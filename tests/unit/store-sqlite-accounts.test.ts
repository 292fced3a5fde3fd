import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { compareText, copyJson } from '../../src/core/store/sqlite/accounts.js';

describe('compareText', () => {
  it("sorts as SQLite's ORDER BY on TEXT does (UTF-8 bytes), not as JavaScript's < does", () => {
    const words = ['NSE:b', 'NSE:a', 'NSE:', 'NSE:ab', 'NSE:é', 'NSE:\uFF21', 'NSE:\u{1F600}', 'NSE:\uFFFD', 'NSE:\u{10000}', 'nse:a', 'NSE:\uD7FF'];
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k TEXT)');
    const put = db.prepare('INSERT INTO t VALUES (?)');
    for (const w of words) put.run(w);
    const sqlite = db.prepare('SELECT k FROM t ORDER BY k').pluck().all();
    db.close();
    expect([...words].sort(compareText)).toEqual(sqlite);
    expect([...words].sort()).not.toEqual(sqlite); // the case this exists for
  });
});

describe('copyJson', () => {
  it('copies parsed JSON deeply, own "__proto__" keys included', () => {
    const text = '{"a":1,"__proto__":{"x":[1,{"y":null}]},"list":[{"t":1,"equity":-2}],"s":"z","n":null}';
    const original = JSON.parse(text) as Record<string, unknown>;
    const copy = copyJson(original);
    expect(copy).toEqual(JSON.parse(text));
    expect(JSON.stringify(copy)).toBe(text);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    (copy.list as Array<{ equity: number }>)[0]!.equity = 5;
    ((copy['__proto__'] as { x: unknown[] }).x[1] as { y: unknown }).y = 1;
    expect(original).toEqual(JSON.parse(text));
  });
});
