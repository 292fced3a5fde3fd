import React, { useEffect, useMemo, useRef, useState } from 'react';
import { Box, useApp, useInput } from 'ink';
import type { Clock } from '../core/clock.js';
import { describeError } from '../core/errors.js';
import { istDate } from '../core/ist.js';
import { ThemeContext } from './theme-context.js';
import type { Theme } from './theme.js';
import type { DataAction, DataState } from './state/data.js';
import type { Store } from './state/store.js';
import { applyEvent, handleKey, initialUi, splitInput, type Effect, type KeyInfo, type UiEvent, type UiState } from './state/ui.js';
import { rowRefs, sectionRows } from './state/rows.js';
import { useStoreState } from './hooks/useStoreState.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useNow } from './hooks/useNow.js';
import { Screen } from './Screen.js';
import type { BotsPort } from './bots/feed.js';
import { useBotsTab } from './bots/useBotsTab.js';

/** What the screen needs from the controller. */
export interface DashboardPort {
  readonly store: Store<DataState, DataAction>;
  readonly profileName: string;
  run(effect: Effect): Promise<UiEvent | null>;
  /** Events after their effect answered (a backtest's end); returns the unsubscribe. */
  events?(listener: (e: UiEvent) => void): () => void;
  /** The Bots tab's data and actions (a BotsFeed); without it the tab says bots are not available. */
  readonly bots?: BotsPort;
}

export interface AppProps {
  port: DashboardPort;
  clock: Clock;
  theme: Theme;
  initial?: UiState;
}

/** The dashboard: keys go through the pure handleKey; effects go to the controller. */
export function App({ port, clock, theme, initial }: AppProps): React.ReactElement {
  const data = useStoreState(port.store);
  const [ui, setUi] = useState<UiState>(() => initial ?? initialUi());
  const uiRef = useRef(ui);
  const { exit } = useApp();
  const size = useTerminalSize();
  const now = useNow(clock);
  const rows = useMemo(() => sectionRows(data), [data]);
  const refs = useMemo(() => rowRefs(rows), [rows]);

  const update = (next: UiState): void => {
    uiRef.current = next;
    setUi(next);
  };
  useEffect(() => port.events?.((e) => update(applyEvent(uiRef.current, e))), [port]);
  const say = (e: UiEvent): void => update(applyEvent(uiRef.current, e));
  const bots = useBotsTab(port.bots, data.quotes, say);

  const onKey = (input: string, key: KeyInfo): void => {
    if (uiRef.current.tab === 'bots' && uiRef.current.overlay.kind === 'none' && bots.onKey(input, key)) return;
    const result = handleKey(uiRef.current, input, key, {
      rows: refs,
      profiles: data.profiles,
      currentProfile: port.profileName,
      signedOut: data.sessionExpired !== null,
      signingIn: data.signingIn !== null,
      backtestSymbol: rows.watchlist[Math.min(uiRef.current.selection.watchlist, rows.watchlist.length - 1)]?.key ?? 'NSE:INFY',
      today: istDate(clock.now()),
    });
    update(result.ui);
    const effect = result.effect;
    if (!effect) return;
    if (effect.type === 'quit') {
      exit();
      return;
    }
    port.run(effect).then(
      (event) => {
        if (event) update(applyEvent(uiRef.current, event));
      },
      (err: unknown) => update(applyEvent(uiRef.current, { type: 'message', text: describeError(err), tone: 'error' })),
    );
  };

  useInput((input, key) => {
    for (const [text, k] of splitInput(input, key)) onKey(text, k);
  });

  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column">
        <Screen data={data} ui={ui} rows={rows} now={now} size={size} profileName={port.profileName} bots={bots.view} />
      </Box>
    </ThemeContext.Provider>
  );
}
