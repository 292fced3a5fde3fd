import { formatINR, type Paise } from '../core/money.js';

/**
 * Output helpers for every command: colour only on a TTY and never with NO_COLOR (FORCE_COLOR=1
 * forces it), tables aligned on visible width, Indian digit grouping, exactly one JSON document.
 */
export interface Out {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function colorEnabled(stream: Out = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Styles {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const sgr = (on: number, off: number) => (s: string) => `\x1b[${on}m${s}\x1b[${off}m`;
const plain = (s: string): string => s;

export function styles(enabled: boolean = colorEnabled()): Styles {
  if (!enabled) return { green: plain, red: plain, yellow: plain, dim: plain, bold: plain };
  return { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/** Money with sign and colour: "+₹1,250.00" green, "-₹80.50" red, "₹0.00" plain. */
export function signedINR(p: Paise, st: Styles = styles()): string {
  const text = formatINR(p, { sign: true });
  return p > 0 ? st.green(text) : p < 0 ? st.red(text) : text;
}

/** Colour any already-formatted text by the sign of a number. */
export function bySign(value: number, text: string, st: Styles = styles()): string {
  return value > 0 ? st.green(text) : value < 0 ? st.red(text) : text;
}

export { formatCount } from '../core/money.js';

const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

/** A plain text table: a header row, then one line per row; numbers are usually right-aligned. */
export function renderTable<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, st: Styles = styles()): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, i) => Math.max(visibleWidth(c.header), ...cells.map((row) => visibleWidth(row[i]!))));
  const pad = (text: string, i: number): string => {
    const gap = ' '.repeat(widths[i]! - visibleWidth(text));
    return columns[i]!.align === 'right' ? gap + text : text + gap;
  };
  const line = (row: string[]): string => row.map(pad).join('  ').trimEnd();
  return [st.bold(line(columns.map((c) => c.header))), ...cells.map(line)].join('\n') + '\n';
}

const jsonDocuments = new WeakMap<Out, number>();

/** Exactly one JSON document on stdout (counted per stream: see jsonDocumentsWritten). */
export function printJson(value: unknown, out: Out = process.stdout): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
  jsonDocuments.set(out, (jsonDocuments.get(out) ?? 0) + 1);
}

/** How many JSON documents printJson has written to a stream: a command that fails after printing its document gets no second one. */
export function jsonDocumentsWritten(out: Out): number {
  return jsonDocuments.get(out) ?? 0;
}

export function printLine(text = '', out: Out = process.stdout): void {
  out.write(`${text}\n`);
}

/** A note for a person (progress, hints): stderr, so stdout stays clean for data and JSON. */
export function note(text: string, out: Out = process.stderr): void {
  out.write(`${text}\n`);
}
