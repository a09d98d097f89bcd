import { formatWeight, sumsToOne, weightSum } from './weights';

describe('weights', () => {
  it('adds weights exactly to four decimals, blanks as 0', () => {
    expect(weightSum({ a: 0.1, b: 0.2 })).toBe(0.3);
    expect(weightSum({ self: 0.1, fellow: 0.25, committee: 0.2, superior: 0.15, masses: 0.3 })).toBe(1);
    expect(weightSum({ a: 0.7, b: null, c: undefined })).toBe(0.7);
    expect(weightSum({})).toBe(0);
    // 0.57 × 10000 is 5699.999999999999 in floats.
    expect(weightSum({ a: 0.57, b: 0.43 })).toBe(1);
  });

  it('accepts a sum of exactly 1 and nothing else', () => {
    expect(sumsToOne({ self: 0.1, fellow: 0.25, committee: 0.2, superior: 0.15, masses: 0.3 })).toBe(true);
    expect(sumsToOne({ points: 0.4, evaluation: 0.6 })).toBe(true);
    expect(sumsToOne({ self: 0.1, fellow: 0.2, committee: 0.2, superior: 0.15, masses: 0.3 })).toBe(false);
    expect(sumsToOne({ points: 0.4, evaluation: 0.6001 })).toBe(false);
    expect(sumsToOne({})).toBe(false);
  });

  it('shows sums without float noise or trailing zeros', () => {
    expect(formatWeight(weightSum({ a: 0.1, b: 0.2, c: 0.65 }))).toBe('0.95');
    expect(formatWeight(1)).toBe('1');
    expect(formatWeight(0.1 + 0.2)).toBe('0.3');
  });
});
