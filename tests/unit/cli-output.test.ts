import { describe, expect, it } from 'vitest';
import { bySign, colorEnabled, formatCount, printJson, renderTable, signedINR, styles, visibleWidth } from '../../src/cli/output.js';

const tty = { isTTY: true, write: () => true };
const pipe = { isTTY: false, write: () => true };

describe('colour', () => {
  it('is on for a TTY only, off with NO_COLOR or TERM=dumb, forced by FORCE_COLOR', () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('green for gains, red for losses, plain for zero or without colour', () => {
    const on = styles(true);
    expect(signedINR(125_000, on)).toBe('\x1b[32m+₹1,250.00\x1b[39m');
    expect(signedINR(-8_050, on)).toBe('\x1b[31m-₹80.50\x1b[39m');
    expect(signedINR(0, on)).toBe('₹0.00');
    expect(signedINR(1_00_00_000_00, styles(false))).toBe('+₹1,00,00,000.00');
    expect(bySign(-1, '-1.5%', on)).toBe('\x1b[31m-1.5%\x1b[39m');
  });
});

describe('numbers', () => {
  it('groups counts the Indian way', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('12,34,567');
    expect(formatCount(-100000)).toBe('-1,00,000');
  });
});

describe('tables', () => {
  const rows = [
    { sym: 'INFY', qty: 25, pnl: 125_000 },
    { sym: 'RELIANCE', qty: 1200, pnl: -8_050 },
  ];
  type Row = (typeof rows)[number];
  const cols = (colour: boolean) => [
    { header: 'SYMBOL', value: (r: Row) => r.sym },
    { header: 'QTY', value: (r: Row) => formatCount(r.qty), align: 'right' as const },
    { header: 'P&L', value: (r: Row) => signedINR(r.pnl, styles(colour)), align: 'right' as const },
  ];

  it('aligns on visible width, ignoring colour codes', () => {
    const text = renderTable(rows, cols(false), styles(false));
    expect(text).toBe(['SYMBOL      QTY         P&L', 'INFY         25  +₹1,250.00', 'RELIANCE  1,200     -₹80.50', ''].join('\n'));
    const coloured = renderTable(rows, cols(true), styles(true)).split('\n');
    expect(coloured[1]).toContain('\x1b[32m+₹1,250.00');
    expect(visibleWidth(coloured[1]!)).toBe(visibleWidth('INFY         25  +₹1,250.00'));
  });

  it('prints just the header for no rows', () => {
    expect(renderTable([], cols(false), styles(false))).toBe('SYMBOL  QTY  P&L\n');
  });
});

describe('json', () => {
  it('writes exactly one parseable document', () => {
    let out = '';
    printJson({ a: [1, 2], b: 'x' }, { write: (s: string) => (out += s) });
    expect(JSON.parse(out)).toEqual({ a: [1, 2], b: 'x' });
    expect(out.endsWith('}\n')).toBe(true);
  });
});
