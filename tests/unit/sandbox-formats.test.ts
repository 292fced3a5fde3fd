import { describe, expect, it } from 'vitest';
import { instrumentsCsv } from '../../src/sandbox/csv.js';
import { buildInstruments } from '../../src/sandbox/instruments.js';
import { escapeHtml, errorPage, loginPage } from '../../src/sandbox/login-html.js';
import { redirectTarget } from '../../src/sandbox/routes/login.js';
import { parseKiteDate } from '../../src/sandbox/routes/historical.js';
import { readKiteFixture } from '../helpers/fixtures.js';

describe('the instruments CSV', () => {
  const specs = buildInstruments();
  const infy = specs.find((s) => s.tradingsymbol === 'INFY' && s.exchange === 'NSE')!;
  const nifty = specs.find((s) => s.tradingsymbol === 'NIFTY 50')!;

  it("has Kite's header, CRLF line ends and rupee decimals as Kite writes them", () => {
    const text = instrumentsCsv([
      { spec: infy, lastPrice: 1412_95 },
      { spec: nifty, lastPrice: 25900_00 },
    ]);
    const mockHeader = readKiteFixture('instruments_all.csv').toString('utf8').split('\r\n')[0];
    expect(text.split('\r\n')).toEqual([
      mockHeader,
      '408065,1594,INFY,INFOSYS,1412.95,,0.0,0.1,1,EQ,NSE,NSE',
      '256265,1001,NIFTY 50,NIFTY 50,25900.0,,0.0,0.05,1,EQ,INDICES,NSE',
      '', // Kite's file ends with a line break too
    ]);
  });

  it('quotes cells that need it', () => {
    const odd = { ...infy, name: 'A, "B" & C' };
    expect(instrumentsCsv([{ spec: odd, lastPrice: 0 }]).split('\r\n')[1]).toBe('408065,1594,INFY,"A, ""B"" & C",0.0,,0.0,0.1,1,EQ,NSE,NSE');
  });
});

describe("Kite's dates for historical data", () => {
  it('reads YYYY-MM-DD[ HH:MM[:SS]] as IST whatever the host zone', () => {
    expect(parseKiteDate('2026-01-07 09:15:00')).toBe(Date.parse('2026-01-07T09:15:00+05:30'));
    expect(parseKiteDate('2026-01-07 09:15')).toBe(Date.parse('2026-01-07T09:15:00+05:30'));
    expect(parseKiteDate('2026-01-07')).toBe(Date.parse('2026-01-07T00:00:00+05:30'));
    expect(parseKiteDate('2026-01-07T15:29:00')).toBe(Date.parse('2026-01-07T15:29:00+05:30'));
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'yesterday', '2026-02-30', '2026-13-01', '2026-01-07 24:00:00', '07-01-2026', '2026-01-07 09:15:00+05:30', '0099-01-01']) {
      expect(parseKiteDate(bad)).toBeNull();
    }
  });
});

describe('the login pages', () => {
  it('escape everything they echo', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    const evil = '"><script>alert(1)</script>';
    const html = loginPage({ apiKey: evil, redirectParams: evil, redirectUrl: evil, users: [{ userId: evil, name: evil }], password: 'sandbox' });
    expect(html).not.toContain('<script>');
    expect(errorPage(evil, evil, evil)).not.toContain('<script>');
  });

  it('redirect only to http loopback URLs, the app’s own by default', () => {
    expect(redirectTarget('').toString()).toBe('http://127.0.0.1:5959/callback');
    expect(redirectTarget('http://127.0.0.1:40123/cb?x=1').toString()).toBe('http://127.0.0.1:40123/cb?x=1');
    expect(redirectTarget('http://localhost:8080/callback').host).toBe('localhost:8080');
    for (const bad of ['https://127.0.0.1/cb', 'http://evil.example/cb', 'http://127.0.0.1.evil.example/', 'http://user:pw@127.0.0.1/', 'javascript:alert(1)', 'not a url', 'http://[::1]:80/']) {
      expect(() => redirectTarget(bad)).toThrow(/redirect_url/);
    }
  });
});
