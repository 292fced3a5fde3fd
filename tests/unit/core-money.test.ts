import { describe, expect, it } from 'vitest';
import { formatINR, groupIndian, roundPaise, toPaise, toRupees } from '../../src/core/money.js';

describe('money', () => {
  it('groups digits the Indian way', () => {
    expect(groupIndian('1')).toBe('1');
    expect(groupIndian('1000')).toBe('1,000');
    expect(groupIndian('100000')).toBe('1,00,000');
    expect(groupIndian('12345678')).toBe('1,23,45,678');
  });

  it('formats paise as rupees', () => {
    expect(formatINR(10_000_000)).toBe('₹1,00,000.00');
    expect(formatINR(-1250)).toBe('-₹12.50');
    expect(formatINR(5, { sign: true })).toBe('+₹0.05');
    expect(formatINR(123456789, { symbol: false })).toBe('12,34,567.89');
  });

  it('converts rupees to exact paise or refuses', () => {
    expect(toPaise('1412.95')).toBe(141295);
    expect(toPaise(1412.95)).toBe(141295);
    expect(toPaise('0.1')).toBe(10);
    expect(toPaise('-3.5')).toBe(-350);
    expect(toPaise('1.234')).toBeNull();
    expect(toPaise('abc')).toBeNull();
    expect(toPaise('1e3')).toBeNull();
    expect(toRupees(141295)).toBe(1412.95);
  });

  it('rounds half away from zero', () => {
    expect(roundPaise(2.5)).toBe(3);
    expect(roundPaise(-2.5)).toBe(-3);
    expect(roundPaise(2.4999)).toBe(2);
  });
});
