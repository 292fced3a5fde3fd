import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import { signColor } from '../theme.js';
import { signed } from '../format.js';
import { Table, type Column } from '../components/Table.js';
import { Line } from '../components/Line.js';
import { eventLine, showText } from '../../app/bot-text.js';
import type { BotEvent, BotRecord } from '../../core/bot/types.js';
import type { BotsData } from './feed.js';
import type { BotsUi } from './keys.js';
import type { BotRow } from './rows.js';

export interface BotsViewProps {
  /** Null: this dashboard has no bot desk (the tab says so). */
  data: BotsData | null;
  rows: BotRow[];
  ui: BotsUi;
  width: number;
  height: number;
}

/** The user's bots with position, today's P&L, last signal and risk badges; Enter opens one. */
export function BotsView({ data, rows, ui, width, height }: BotsViewProps): React.ReactElement {
  const theme = useTheme();
  if (!data) return <Text color={theme.muted}>bots are not available in this dashboard; use algo bot list</Text>;
  const bot = ui.detail ? data.bots.find((b) => b.id === ui.detail!.id) : undefined;
  // (the keys are on the status line; the y/n question and the detail's own keys sit under the view)
  const footer = ui.confirmKill ? (
    <Line width={width} segments={[{ text: `kill switch: flatten and stop all ${ui.confirmKill.count} bot${ui.confirmKill.count === 1 ? '' : 's'}, entries blocked? y/n`, color: theme.danger, bold: true }]} />
  ) : bot ? (
    <Text color={theme.muted}>Esc back · ↑↓ scroll the log · PgUp/PgDn by 10</Text>
  ) : null;
  if (bot) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <BotDetail bot={bot} log={data.logs[bot.id] ?? []} scroll={ui.detail!.scroll} width={width} height={height - 1} />
        {footer}
      </Box>
    );
  }
  const cols: Column<BotRow>[] = [
    { title: 'Name', cell: (r) => r.name, min: 6 },
    { title: 'Strategy', cell: (r) => r.strategy },
    { title: 'Symbols', cell: (r) => r.symbols },
    { title: 'State', cell: (r) => r.state },
    { title: 'Position', cell: (r) => r.position },
    { title: 'P&L today', cell: (r) => signed(r.pnl), align: 'right', color: (r) => signColor(theme, r.pnl) },
    { title: 'Last signal', cell: (r) => r.signal, min: 8 },
    { title: 'Risk', cell: (r) => r.badges.join(' '), color: (r) => (r.badges.some((b) => b === 'HALTED' || b === 'REVIEW') ? theme.danger : r.badges.includes('BLOCKED') ? theme.warning : undefined) },
  ];
  const notice = data.error ? { text: data.error, color: theme.danger } : !data.loaded ? { text: 'loading bots…', color: theme.muted } : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Table title="Bots" columns={cols} rows={rows} height={footer ? height - 1 : height} width={width} selected={Math.min(ui.selected, Math.max(rows.length - 1, 0))} focused empty="no bots yet: algo bot create NAME --strategy ID --symbol SYM" {...(notice ? { notice } : {})} />
      {footer}
    </Box>
  );
}

/** `algo bot show`'s fields packed into lines of `width`: "name orb-infy (b1234abc) · strategy orb · …". */
export function packedConfig(bot: BotRecord, width: number): string[] {
  // (the runner line is left out: the tab does not look the lease up)
  const fields = showText(bot, null)
    .trimEnd()
    .split('\n')
    .filter((l) => !l.startsWith('runner'))
    .map((l) => l.replace(/ {2,}/, ' '));
  const lines: string[] = [];
  for (const f of fields) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 3 + f.length <= width) lines[last] += ` · ${f}`;
    else lines.push(f);
  }
  return lines;
}

/** The bot's config and status, then its event log, newest at the bottom. */
function BotDetail({ bot, log, scroll, width, height }: { bot: BotRecord; log: BotEvent[]; scroll: number; width: number; height: number }): React.ReactElement {
  const theme = useTheme();
  const config = packedConfig(bot, width);
  const room = Math.max(height - config.length - 1, 1);
  const end = Math.max(log.length - scroll, 0);
  const shown = log.slice(Math.max(end - room, 0), end);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {config.map((l, i) => (
        <Line key={i} width={width} segments={[{ text: l }]} />
      ))}
      <Line width={width} segments={[{ text: `Events (${log.length})${scroll > 0 ? `, ${scroll} newer below` : ''}`, bold: true, color: theme.accent }]} />
      {shown.length === 0 ? <Line width={width} segments={[{ text: 'no events', color: theme.muted }]} /> : shown.map((e) => <Line key={e.seq} width={width} segments={[{ text: eventLine(e).trimEnd() }]} />)}
    </Box>
  );
}
