import { describe, expect, it } from 'vitest';
import { decide, parseRatio, requiredVotes, type Tally } from '../src/services/consensus.js';

const third = { num: 1, den: 3 };
const twoThirds = { num: 2, den: 3 };

describe('the formal consensus rule', () => {
  const cases: Array<[string, number, Tally, string]> = [
    ['a single block blocks, whatever else', 9, { support: 8, standAside: 0, block: 1 }, 'blocked'],
    ['a block blocks even without a quorum', 9, { support: 0, standAside: 0, block: 1 }, 'blocked'],
    ['nobody voting is no quorum', 9, { support: 0, standAside: 0, block: 0 }, 'no_quorum'],
    ['9 eligible need 6: 5 is no quorum', 9, { support: 5, standAside: 0, block: 0 }, 'no_quorum'],
    ['9 eligible need 6: 6 is enough', 9, { support: 6, standAside: 0, block: 0 }, 'consensus'],
    ['4 eligible need ⌈8/3⌉ = 3: 2 is no quorum', 4, { support: 2, standAside: 0, block: 0 }, 'no_quorum'],
    ['4 eligible need 3: 3 is enough', 4, { support: 3, standAside: 0, block: 0 }, 'consensus'],
    ['1 eligible needs 1', 1, { support: 1, standAside: 0, block: 0 }, 'consensus'],
    ['2 of 6 standing aside is exactly ⅓, not more', 6, { support: 4, standAside: 2, block: 0 }, 'consensus'],
    ['3 of 7 standing aside is more than ⅓', 7, { support: 4, standAside: 3, block: 0 }, 'no_consensus'],
    ['quorum counts stand-asides as votes', 3, { support: 1, standAside: 1, block: 0 }, 'no_consensus'],
    ['1 of 3 standing aside is exactly ⅓', 3, { support: 2, standAside: 1, block: 0 }, 'consensus'],
  ];
  it.each(cases)('%s', (_name, eligible, tally, outcome) => {
    expect(decide(tally, { eligible, quorum: twoThirds, standAsideLimit: third }).outcome).toBe(outcome);
  });

  it('rounds the quorum up in whole numbers, with no float error at any size', () => {
    for (let eligible = 1; eligible <= 3000; eligible++) {
      const exact = Math.ceil((eligible * 2) / 3 - 1e-9);
      expect(requiredVotes(eligible, twoThirds)).toBe(Math.max(1, exact));
    }
    // 0.7 × 10 is 7.000000000000001 in floats; ceil of that would wrongly ask for 8.
    expect(requiredVotes(10, { num: 7, den: 10 })).toBe(7);
    expect(requiredVotes(0, twoThirds)).toBe(1);
  });

  it('reads settings only as fractions no greater than one', () => {
    expect(parseRatio('2/3')).toEqual(twoThirds);
    expect(parseRatio('0/1')).toEqual({ num: 0, den: 1 });
    expect(parseRatio('4/3')).toBeUndefined();
    expect(parseRatio('0.66')).toBeUndefined();
    expect(parseRatio('1/0')).toBeUndefined();
  });
});
