import { useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { QuoteView } from '../model.js';
import type { KeyInfo, UiEvent } from '../state/ui.js';
import { initialBots, type BotsPort } from './feed.js';
import { botsKey, initialBotsUi, type BotsUi } from './keys.js';
import { botRows } from './rows.js';
import type { BotsViewProps } from './BotsView.js';

const noStore = { subscribe: () => () => undefined, getState: () => null };

/**
 * The Bots tab inside App: its interface state, its rows (marked at the dashboard's quotes), and
 * its keys. onKey returns false for a key that is not the tab's, so the dashboard handles it.
 */
export function useBotsTab(port: BotsPort | undefined, quotes: Readonly<Record<string, QuoteView>>, say: (e: UiEvent) => void): { view: Omit<BotsViewProps, 'width' | 'height'>; onKey(input: string, key: KeyInfo): boolean } {
  const store = port?.store ?? noStore;
  const data = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  const [ui, setUi] = useState<BotsUi>(initialBotsUi);
  const uiRef = useRef(ui);
  const rows = useMemo(() => (data ? botRows(data.bots, data.trades, data.signals, quotes) : []), [data, quotes]);

  const onKey = (input: string, key: KeyInfo): boolean => {
    const d = data ?? initialBots();
    const detail = uiRef.current.detail;
    const result = botsKey(uiRef.current, input, key, { bots: d.bots, logLength: detail ? (d.logs[detail.id]?.length ?? 0) : 0 });
    if (!result) return false;
    uiRef.current = result.ui;
    setUi(result.ui);
    if (result.message) say({ type: 'message', ...result.message });
    const effect = result.effect;
    if (effect) {
      if (!port) say({ type: 'message', text: 'bots are not available in this dashboard; use algo bot', tone: 'error' });
      else void port.run(effect).then(say);
    }
    return true;
  };
  return { view: { data, rows, ui }, onKey };
}
