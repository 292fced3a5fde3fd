import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addSymbol, DEFAULT_WATCHLIST, loadWatchlist, removeSymbol, saveWatchlist, watchlistPath } from '../../src/tui/data/watchlist-store.js';

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-watch-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('watchlists per profile', () => {
  it('start from the default list and round-trip through <dataDir>/watchlists/<profile>.json', async () => {
    const dir = tmp();
    expect(loadWatchlist(dir, 'demo')).toEqual(DEFAULT_WATCHLIST);
    await saveWatchlist(dir, 'demo', ['NSE:INFY', 'BSE:TCS']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'watchlists', 'demo.json'), 'utf8'))).toEqual({ symbols: ['NSE:INFY', 'BSE:TCS'] });
    expect(loadWatchlist(dir, 'demo')).toEqual(['NSE:INFY', 'BSE:TCS']);
    expect(loadWatchlist(dir, 'other')).toEqual(DEFAULT_WATCHLIST);
    expect(fs.readdirSync(path.join(dir, 'watchlists'))).toEqual(['demo.json']); // no temp files left
  });

  it('a damaged file gives an empty list and a warning, never a crash', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'watchlists'));
    fs.writeFileSync(path.join(dir, 'watchlists', 'demo.json'), '{"symbols": [42]}');
    const warnings: string[] = [];
    expect(loadWatchlist(dir, 'demo', (m) => warnings.push(m))).toEqual([]);
    expect(warnings[0]).toMatch(/not a watchlist/);
  });

  it('refuses a profile name that would escape the folder', () => {
    expect(() => watchlistPath('/x', '../etc')).toThrow(/not a valid profile name/);
  });

  it('adds once and removes', () => {
    expect(addSymbol(['NSE:INFY'], 'NSE:INFY')).toEqual(['NSE:INFY']);
    expect(addSymbol(['NSE:INFY'], 'NSE:TCS')).toEqual(['NSE:INFY', 'NSE:TCS']);
    expect(removeSymbol(['NSE:INFY', 'NSE:TCS'], 'NSE:INFY')).toEqual(['NSE:TCS']);
  });
});
