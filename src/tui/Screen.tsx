import React from 'react';
import { Box } from 'ink';
import { Header } from './components/Header.js';
import { Tabs } from './components/Tabs.js';
import { Banner, bannerLines, type BannerKind } from './components/Banner.js';
import { StatusLine } from './components/StatusLine.js';
import { OrderForm } from './components/OrderForm.js';
import { ProfileSwitcher } from './components/ProfileSwitcher.js';
import { Prompt } from './components/Prompt.js';
import { HelpView } from './components/HelpView.js';
import { PortfolioView } from './views/PortfolioView.js';
import { PaperView } from './views/PaperView.js';
import { WatchlistView } from './views/WatchlistView.js';
import { StrategiesView } from './views/StrategiesView.js';
import { BotsView, type BotsViewProps } from './bots/BotsView.js';
import { initialBotsUi } from './bots/keys.js';
import { BacktestForm, backtestFormHeight } from './components/BacktestForm.js';
import type { DataState } from './state/data.js';
import type { SectionRows } from './state/rows.js';
import type { UiState } from './state/ui.js';
import { paperFunds } from './state/derive.js';
import { istDate } from '../core/ist.js';
import { visibleFields } from './state/order-form.js';
import type { Size } from './hooks/useTerminalSize.js';

export interface ScreenProps {
  data: DataState;
  ui: UiState;
  rows: SectionRows;
  now: number;
  size: Size;
  profileName: string;
  /** The Bots tab's view (its size is the screen's). */
  bots?: Omit<BotsViewProps, 'width' | 'height'>;
}

/** Notices that apply whatever the tab: an expired session (once), a sign-in under way, a lost ticker. */
export function banners(data: DataState, profileName: string): { kind: BannerKind; text: string; max?: number }[] {
  const out: { kind: BannerKind; text: string; max?: number }[] = [];
  if (data.signingIn) {
    out.push({ kind: 'info', text: data.signingIn, max: 4 });
  } else if (data.sessionExpired) {
    out.push({ kind: 'error', text: data.sessionExpired, max: 3 });
    out.push({ kind: 'info', text: `profile ${profileName} is signed out: press L to sign in again, or p to switch profile`, max: 1 });
  }
  const t = data.ticker;
  if (t.state === 'reconnecting') {
    const wait = t.retryInMs !== undefined ? ` in ${Math.ceil(t.retryInMs / 1000)}s` : ' now';
    out.push({ kind: 'warning', text: `ticker connection lost: reconnecting (attempt ${t.attempt ?? 1})${wait}, with backoff; prices may be stale` });
  } else if (t.state === 'disconnected' && t.error && !data.sessionExpired) {
    // (A ticker stopped by a refused session is the banner above: said once.)
    out.push({ kind: 'warning', text: `ticker stopped: ${t.error}` });
  }
  return out;
}

function overlayHeight(ui: UiState, profiles: number): number {
  const o = ui.overlay;
  switch (o.kind) {
    case 'form':
      return visibleFields(o.form).length + 4 + (o.form.error ? 2 : 0);
    case 'backtest-form':
      return backtestFormHeight(o.form);
    case 'profiles':
      return Math.max(profiles, 1) + 4 + (o.note ? 2 : 0);
    case 'watch-add':
      return 4 + (o.error ? 1 : 0);
    default:
      return 0;
  }
}

/** The whole frame, sized to the terminal (one line short of it, so the terminal never scrolls). */
export function Screen({ data, ui, rows, now, size, profileName, bots }: ScreenProps): React.ReactElement {
  const width = Math.max(size.columns, 40);
  const height = Math.max(size.rows - 1, 10);
  const notes = banners(data, profileName);
  const noteLines = notes.reduce((n, b) => n + bannerLines(b.kind, b.text, width, b.max).length, 0);
  const bodyHeight = Math.max(height - 3 - noteLines, 3);
  const over = overlayHeight(ui, data.profiles.length);
  const viewHeight = Math.max(bodyHeight - over, 3);
  const o = ui.overlay;
  const sel = ui.selection;

  let view: React.ReactElement;
  if (o.kind === 'help' || ui.tab === 'help') {
    view = <HelpView width={width} />;
  } else if (ui.tab === 'portfolio') {
    view = (
      <PortfolioView
        holdings={rows.holdings}
        positions={rows.positions}
        orders={rows.orders}
        margins={data.portfolio?.margins ?? null}
        error={data.portfolioError}
        loading={data.loading}
        loaded={data.portfolio !== null}
        focus={ui.focus.portfolio}
        selection={{ holdings: sel.holdings, positions: sel.positions, orders: sel.orders }}
        width={width}
        height={viewHeight}
      />
    );
  } else if (ui.tab === 'paper') {
    view = (
      <PaperView
        funds={data.paper ? paperFunds(data.paper, data.quotes) : null}
        stats={data.paper?.stats ?? null}
        equity={(data.paper?.equity ?? []).map((p) => p.equity)}
        positions={rows.paperPositions}
        holdings={rows.paperHoldings}
        orders={rows.paperOrders}
        trades={rows.paperTrades}
        error={data.paperError}
        loading={data.loading}
        loaded={data.paper !== null}
        readOnly={data.paperOnly}
        focus={ui.focus.paper}
        selection={{ paperPositions: sel.paperPositions, paperHoldings: sel.paperHoldings, paperOrders: sel.paperOrders, paperTrades: sel.paperTrades }}
        today={istDate(now)}
        width={width}
        height={viewHeight}
      />
    );
  } else if (ui.tab === 'strategies') {
    view = (
      <StrategiesView
        strategies={rows.strategies}
        backtest={data.backtest}
        focus={ui.focus.strategies}
        selection={{ strategies: sel.strategies, backtestTrades: sel.backtestTrades }}
        width={width}
        height={viewHeight}
      />
    );
  } else if (ui.tab === 'bots') {
    view = <BotsView {...(bots ?? { data: null, rows: [], ui: initialBotsUi() })} width={width} height={viewHeight} />;
  } else {
    view = <WatchlistView rows={rows.watchlist} selected={sel.watchlist} width={width} height={viewHeight} />;
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header profile={data.profile} profileName={profileName} now={now} ticker={data.ticker} width={width} />
      <Tabs current={ui.tab} width={width} />
      {notes.map((n, i) => (
        <Banner key={i} kind={n.kind} text={n.text} width={width} {...(n.max ? { max: n.max } : {})} />
      ))}
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {o.kind === 'form' ? <OrderForm form={o.form} width={width} /> : null}
        {o.kind === 'backtest-form' ? <BacktestForm form={o.form} width={width} /> : null}
        {o.kind === 'profiles' ? <ProfileSwitcher profiles={data.profiles} index={o.index} current={profileName} note={o.note} width={width} /> : null}
        {o.kind === 'watch-add' ? <Prompt label="Add symbol" text={o.text} error={o.error} busy={o.busy} width={width} /> : null}
        {view}
      </Box>
      <StatusLine message={ui.message} width={width} signedOut={data.sessionExpired !== null} tab={ui.tab} />
    </Box>
  );
}
