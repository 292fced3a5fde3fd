import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frozenJsonCopy, jsonCopy } from '../../src/core/store/sqlite/accounts.js';

/**
 * The SQLite store keeps what it wrote as jsonCopy(doc) instead of parsing the JSON text back,
 * so it must give exactly what JSON.parse(JSON.stringify(doc)) gives: same keys in the same order,
 * undefined dropped, -0 as 0, dates as their text, and a new object throughout.
 */
const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

// JSON values plus what JSON writes differently from how it is held
const odd = fc.constantFrom<unknown>(undefined, -0, Number.NaN, Number.POSITIVE_INFINITY, new Date(0), () => 1, Symbol('s'));
const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), odd);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('1', '10', '__proto__', 'b')), tie('value'), { maxKeys: 4 })),
}));

describe('jsonCopy', () => {
  it('gives what a JSON round trip gives, for any object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value, { maxKeys: 5 }), (doc) => {
        const copy = jsonCopy(doc);
        expect(copy).toStrictEqual(roundTrip(doc));
        expect(JSON.stringify(copy)).toBe(JSON.stringify(doc)); // keys in the same order
      }),
      { numRuns: 500 },
    );
  });

  it('drops undefined, writes -0 as 0, NaN as null, a date as its text, and shares nothing', () => {
    const inner = { n: -0, d: new Date(Date.UTC(2026, 10, 23)), list: [undefined, Number.NaN, 1] };
    const doc = { a: undefined, inner, k: '__proto__' };
    const copy = jsonCopy(doc) as unknown as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['inner', 'k']);
    expect(Object.is((copy.inner as { n: number }).n, 0)).toBe(true);
    expect(copy.inner).toStrictEqual({ n: 0, d: '2026-11-23T00:00:00.000Z', list: [null, null, 1] });
    expect(copy.inner).not.toBe(inner);
    expect((copy.inner as { list: unknown[] }).list).not.toBe(inner.list);
  });

  it('keeps a "__proto__" key as a key, as JSON.parse does', () => {
    const doc = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;
    const copy = jsonCopy(doc);
    expect(Object.keys(copy)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy).toStrictEqual(roundTrip(doc));
  });
});

/** Every object and array in a value, the value itself included. */
function objectsOf(v: unknown, out: object[] = []): object[] {
  if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const x of Object.values(v)) objectsOf(x, out);
  }
  return out;
}

describe('frozenJsonCopy (what the store caches and update functions share)', () => {
  it('gives what jsonCopy gives, frozen all the way down, leaving the original as it was', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value, { maxKeys: 5 }), (doc) => {
        const copy = frozenJsonCopy(doc);
        expect(copy).toStrictEqual(roundTrip(doc));
        expect(JSON.stringify(copy)).toBe(JSON.stringify(doc));
        expect(objectsOf(copy).every((o) => Object.isFrozen(o))).toBe(true);
        expect(objectsOf(doc).some((o) => Object.isFrozen(o))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('throws on a change, in place or nested (ES modules are strict)', () => {
    const copy = frozenJsonCopy({ a: 1, inner: { list: [1, 2] }, d: new Date(0) }) as { a: number; inner: { list: number[] }; d: unknown };
    expect(() => (copy.a = 2)).toThrow(TypeError);
    expect(() => copy.inner.list.push(3)).toThrow(TypeError);
    expect(() => ((copy.inner as Record<string, unknown>).x = 1)).toThrow(TypeError);
    expect(copy.d).toBe('1970-01-01T00:00:00.000Z');
  });
});
