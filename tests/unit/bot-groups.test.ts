import { describe, expect, it } from 'vitest';
import { stepGroups } from '../../src/core/bot/groups.js';

const held = (spec: string) => spec.split(' ').map((s) => ({ user: s[0]!, id: s }));
const ids = (groups: Array<Array<{ id: string }>>) => groups.map((g) => g.map((x) => x.id).join(' '));

describe('stepGroups: the held bots that step a minute together', () => {
  it('keeps each user whole, in the order held, and fills groups up to the limit', () => {
    expect(ids(stepGroups(held('a1 b1 a2 c1 b2 c2 c3'), (x) => x.user, 4))).toEqual(['a1 a2 b1 b2', 'c1 c2 c3']);
  });

  it('gives a user with more bots than the limit a group alone', () => {
    expect(ids(stepGroups(held('a1 b1 b2 b3 c1'), (x) => x.user, 2))).toEqual(['a1', 'b1 b2 b3', 'c1']);
  });

  it('has no group for no bots', () => {
    expect(stepGroups([], () => 'u')).toEqual([]);
  });
});
