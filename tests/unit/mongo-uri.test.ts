import { describe, expect, it } from 'vitest';
import { describeError, UsageError } from '../../src/core/errors.js';
import { connectMongo } from '../../src/core/store/mongo/connect.js';
import { redact } from '../../src/core/redact.js';
import { missingIndexes, USER_INDEXES } from '../../src/core/store/mongo/indexes.js';
import { isMongoUri, parseMongoUri } from '../../src/core/store/mongo/uri.js';

describe('MongoDB URIs', () => {
  it('defaults the database to smart_algo_trade and the port to 27017', () => {
    expect(parseMongoUri('mongodb://localhost')).toEqual({ hosts: 'localhost:27017', database: 'smart_algo_trade', srv: false });
    expect(parseMongoUri('mongodb://localhost/')).toMatchObject({ database: 'smart_algo_trade' });
    expect(parseMongoUri('mongodb://127.0.0.1:27018/?replicaSet=rs0')).toMatchObject({ hosts: '127.0.0.1:27018', database: 'smart_algo_trade' });
  });

  it('takes the database the URI names, and every host of a replica set', () => {
    expect(parseMongoUri('mongodb://a:1,b,c:3/algo_prod?replicaSet=rs0&w=majority')).toEqual({ hosts: 'a:1,b:27017,c:3', database: 'algo_prod', srv: false });
    expect(parseMongoUri('mongodb://[::1]:27017/x')).toMatchObject({ hosts: '[::1]:27017', database: 'x' });
    expect(parseMongoUri('mongodb://[::1]/x')).toMatchObject({ hosts: '[::1]:27017' });
    expect(parseMongoUri('mongodb+srv://cluster0.example.net/algo?retryWrites=true')).toEqual({ hosts: 'cluster0.example.net', database: 'algo', srv: true });
  });

  it('registers the password so no later message can show it', () => {
    const t = parseMongoUri('mongodb://trader:Pa%24%24w0rd-XYZ@db.internal:27017/algo');
    expect(t).toEqual({ hosts: 'db.internal:27017', database: 'algo', srv: false });
    expect(JSON.stringify(t)).not.toContain('Pa');
    expect(redact('oops Pa%24%24w0rd-XYZ and Pa$$w0rd-XYZ')).toBe('oops *** and ***');
  });

  it('refuses what is not a MongoDB URI, without echoing a password', () => {
    expect(() => parseMongoUri('mongodb://')).toThrow(UsageError);
    expect(() => parseMongoUri('http://localhost')).toThrow(UsageError);
    try {
      parseMongoUri('mongodb://u:hunter2secret@/db');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).not.toContain('hunter2secret');
    }
    expect(() => parseMongoUri('mongodb://localhost/bad.name')).toThrow(/database name/);
  });

  it('a URI the driver refuses is a usage error naming the host, not the password', async () => {
    for (const uri of ['mongodb://u:Driver-Refused-pw@h/db?foo=bar', 'mongodb://u:Driver-Refused-pw@h:notaport/db']) {
      const err = await connectMongo(uri).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect(describeError(err)).toMatch(/^the MongoDB URI for h:(27017|notaport) is not valid: .+; fix the URI in --store\/ALGO_STORE$/);
      expect(describeError(err)).not.toContain('Driver-Refused-pw');
    }
  });

  it('recognises mongodb:// and mongodb+srv:// only', () => {
    expect(isMongoUri('mongodb://x')).toBe(true);
    expect(isMongoUri('mongodb+srv://x')).toBe(true);
    expect(isMongoUri('sqlite:/tmp/x.db')).toBe(false);
    expect(isMongoUri('MONGODB://x')).toBe(false);
  });
});

describe('MongoDB indexes', () => {
  it('asks for the indexes the queries use', () => {
    expect(USER_INDEXES.orders.map((i) => [i.key, Boolean(i.unique)])).toEqual([
      [{ order_id: 1 }, true],
      [{ status: 1, placed_at: -1 }, false],
    ]);
    expect(USER_INDEXES.trades.map((i) => [i.key, Boolean(i.unique)])).toEqual([
      [{ trade_id: 1 }, true],
      [{ order_id: 1, filled_at: 1 }, false],
    ]);
    expect(USER_INDEXES.positions.map((i) => [i.key, Boolean(i.unique)])).toEqual([[{ key: 1 }, true]]);
  });

  it('finds missing indexes by key and uniqueness, whatever their names', () => {
    const present = [
      { name: '_id_', key: { _id: 1 } },
      { name: 'legacy_order_id', key: { order_id: 1 }, unique: true },
    ];
    expect(missingIndexes('orders', present)).toEqual(['status_placed_at']);
    expect(missingIndexes('orders', [{ key: { order_id: 1 } }])).toEqual(['order_id_unique', 'status_placed_at']);
    expect(missingIndexes('positions', [{ key: { key: 1 }, unique: true }])).toEqual([]);
    expect(missingIndexes('meta', [])).toEqual([]);
  });
});
