import type { InstrumentSpec } from './instruments.js';

/** Kite's instrument list columns (FACTS.md), in order. */
export const INSTRUMENT_COLUMNS = [
  'instrument_token', 'exchange_token', 'tradingsymbol', 'name', 'last_price', 'expiry',
  'strike', 'tick_size', 'lot_size', 'instrument_type', 'segment', 'exchange',
] as const;

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rupees as Kite writes them in the CSV: always with a decimal point ("0.0", "1412.95"). */
function decimal(paise: number): string {
  const rupees = Math.round(paise) / 100;
  return Number.isInteger(rupees) ? rupees.toFixed(1) : String(rupees);
}

/**
 * The instrument list as Kite serves it: CRLF line ends and a trailing CRLF (which the kiteconnect
 * client turns into one empty last row, as it does with Kite's own file). last_price is the
 * previous close, tick_size is in rupees.
 */
export function instrumentsCsv(rows: Array<{ spec: InstrumentSpec; lastPrice: number }>): string {
  const lines = [INSTRUMENT_COLUMNS.join(',')];
  for (const { spec, lastPrice } of rows) {
    lines.push(
      [
        String(spec.instrument_token), String(spec.exchange_token), cell(spec.tradingsymbol), cell(spec.name),
        decimal(lastPrice), '', '0.0', decimal(spec.tick_size), String(spec.lot_size),
        spec.instrument_type, spec.segment, spec.exchange,
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
