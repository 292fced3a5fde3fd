import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/sandbox/ticker/messages.js';
import { Subscriptions } from '../../src/sandbox/ticker/subscriptions.js';

describe('parseCommand', () => {
  it.each([
    ['{"a":"subscribe","v":[408065,884737]}', { a: 'subscribe', tokens: [408065, 884737] }],
    ['{"a":"unsubscribe","v":[408065]}', { a: 'unsubscribe', tokens: [408065] }],
    ['{"a":"mode","v":["full",[408065]]}', { a: 'mode', mode: 'full', tokens: [408065] }],
    ['{"a":"mode","v":["ltp",[]]}', { a: 'mode', mode: 'ltp', tokens: [] }],
    // tokens that are not unsigned 32-bit integers are dropped, the rest kept
    ['{"a":"subscribe","v":[1.5,-1,"408065",null,4294967296,7]}', { a: 'subscribe', tokens: [7] }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    'not json',
    '',
    'null',
    '[]',
    '{"a":"subscribe"}',
    '{"a":"subscribe","v":408065}',
    '{"a":"mode","v":["fast",[408065]]}',
    '{"a":"mode","v":[[408065],"full"]}',
    '{"a":"explode","v":[]}',
  ])('refuses %j with a line saying what to send', (text) => {
    const result = parseCommand(text);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(/"a":"subscribe"/);
  });
});

describe('Subscriptions', () => {
  it('starts new tokens in quote mode and keeps the mode of tokens subscribed again', () => {
    const s = new Subscriptions();
    s.subscribe([1, 2]);
    expect(s.setMode('full', [2, 3])).toEqual([2]); // 3 is not subscribed
    expect(s.subscribe([2, 4]).added).toEqual([4]);
    expect([...s.entries()]).toEqual([
      [1, 'quote'],
      [2, 'full'],
      [4, 'quote'],
    ]);
  });

  it('stops at the limit and says how many it refused', () => {
    const s = new Subscriptions(3);
    expect(s.subscribe([1, 2])).toEqual({ added: [1, 2], refused: 0 });
    expect(s.subscribe([3, 4, 5, 1])).toEqual({ added: [3], refused: 2 });
    s.unsubscribe([1, 9]);
    expect(s.subscribe([4])).toEqual({ added: [4], refused: 0 });
    expect(s.size).toBe(3);
    expect(s.modeOf(1)).toBeUndefined();
  });
});
