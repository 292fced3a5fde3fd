import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import {
  checkDatabaseName,
  checkStoreUserId,
  COLLECTION_KINDS,
  isStoreUserId,
  legacyCollectionName,
  LEGACY_USER_ID,
  parseUserCollection,
  userCollectionName,
  userCollections,
} from '../../src/core/store/mongo/names.js';

const hostile: unknown[] = [
  '../x',
  'a.b',
  'AB.12',
  '$where',
  '$AB12',
  'ab1234',
  'Ab1234',
  'DEFAULT ',
  'Default',
  'default\n',
  'ABCDEFGHIJKLM',
  'A'.repeat(10_000),
  '',
  'A',
  'AB 12',
  'AB/12',
  'AB\u0000CD',
  'ÅB12',
  'AB１２',
  '١٢AB',
  'AB1234\n',
  undefined,
  null,
  42,
  { $ne: null },
  ['AB12'],
];

describe('MongoDB collection names', () => {
  it('names the four collections of a Kite user id', () => {
    expect(userCollections('AB1234')).toEqual({
      orders: 'user_AB1234_paper_orders',
      positions: 'user_AB1234_paper_positions',
      trades: 'user_AB1234_paper_trades',
      meta: 'user_AB1234_paper_meta',
    });
  });

  it('takes the literal legacy id "default" (and only that lowercase word)', () => {
    expect(LEGACY_USER_ID).toBe('default');
    expect(userCollectionName('default', 'orders')).toBe('user_default_paper_orders');
    expect(isStoreUserId('default')).toBe(true);
    expect(isStoreUserId('defaults')).toBe(false);
    expect(isStoreUserId('legacy')).toBe(false);
  });

  it.each(hostile.map((id) => [JSON.stringify(id)?.slice(0, 30) ?? String(id), id]))('refuses the hostile id %s with a short UsageError', (_label, id) => {
    expect(isStoreUserId(id)).toBe(false);
    let thrown: unknown;
    try {
      userCollections(id as string);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message.length).toBeLessThan(120);
    for (const kind of COLLECTION_KINDS) expect(() => userCollectionName(id as string, kind)).toThrow(UsageError);
    expect(() => checkStoreUserId(id)).toThrow(/is not valid/);
  });

  it('never builds a name with a character MongoDB treats specially, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme-ascii', maxLength: 14 }), fc.stringMatching(/^[A-Za-z0-9.$/ _-]{0,14}$/)), (id) => {
        let name: string;
        try {
          name = userCollectionName(id, 'trades');
        } catch (err) {
          return err instanceof UsageError;
        }
        return /^user_(default|[A-Z0-9]{2,12})_paper_trades$/.test(name) && !/[.$/\\\s\0]/.test(name);
      }),
    );
  });

  it('parses its own names back, and nothing else', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{2,12}$/), fc.constantFrom(...COLLECTION_KINDS), (id, kind) => {
        expect(parseUserCollection(userCollectionName(id, kind))).toEqual({ userId: id, kind });
      }),
    );
    expect(parseUserCollection('user_default_paper_meta')).toEqual({ userId: 'default', kind: 'meta' });
    for (const other of [
      'paper_orders',
      'user_ab12_paper_orders',
      'user_AB12_paper_stuff',
      'user_AB12_paper_orders.x',
      'user_../x_paper_orders',
      'user__paper_orders',
      'user_AB12_AB34_paper_orders',
      'system.indexes',
    ]) {
      expect(parseUserCollection(other), other).toBeNull();
    }
  });

  it('names the legacy single-user collections', () => {
    expect(COLLECTION_KINDS.map(legacyCollectionName)).toEqual(['paper_orders', 'paper_positions', 'paper_trades', 'paper_meta']);
  });

  it('takes plain database names only', () => {
    expect(checkDatabaseName('smart_algo_trade')).toBe('smart_algo_trade');
    expect(checkDatabaseName('algo-test_1')).toBe('algo-test_1');
    for (const bad of ['', 'a.b', 'a/b', 'a b', '$x', 'x'.repeat(64), 'ä']) expect(() => checkDatabaseName(bad)).toThrow(UsageError);
  });
});
