import type { BotAction } from '../../app/bots.js';
import type { KeyInfo } from '../state/ui.js';

/** The Bots tab's interface state and the pure function from a keystroke to the next one. */

export interface BotsUi {
  selected: number;
  /** The bot whose detail is open (its id), and how many events up from the newest the log is scrolled. */
  detail: { id: string; scroll: number } | null;
  /** K asked: the y/n question is on screen, naming how many bots it stops. */
  confirmKill: { count: number } | null;
}

export const initialBotsUi = (): BotsUi => ({ selected: 0, detail: null, confirmKill: null });

export type BotEffect = { type: 'bot'; action: BotAction | 'flatten'; bot: string } | { type: 'bot-kill' };

/** What a key needs to know about the list on screen. */
export interface BotsKeyContext {
  bots: readonly { id: string; name: string; desired: string }[];
  /** Events in the open detail's log. */
  logLength: number;
}

export interface BotsKeyResult {
  ui: BotsUi;
  effect?: BotEffect;
  /** A line for the status bar. */
  message?: { text: string; tone: 'info' | 'error' };
}

/**
 * s start, S or x stop, p pause/resume, f flatten, K kill switch (y/n), Enter detail, Esc back,
 * ↑↓ j k move (scroll in the detail). Null: not a Bots key (tabs, q, ?, r stay the dashboard's).
 */
export function botsKey(ui: BotsUi, input: string, key: KeyInfo, ctx: BotsKeyContext): BotsKeyResult | null {
  if (ui.confirmKill) {
    if (input === 'y' || input === 'Y') return { ui: { ...ui, confirmKill: null }, effect: { type: 'bot-kill' }, message: { text: 'kill switch: stopping every bot…', tone: 'info' } };
    return { ui: { ...ui, confirmKill: null }, message: { text: 'kill switch cancelled: nothing changed', tone: 'info' } };
  }
  const n = ctx.bots.length;
  const selected = Math.min(ui.selected, Math.max(n - 1, 0));
  if (ui.detail) {
    const scroll = (d: number): BotsKeyResult => ({ ui: { ...ui, detail: { ...ui.detail!, scroll: Math.min(Math.max(ui.detail!.scroll + d, 0), Math.max(ctx.logLength - 1, 0)) } } });
    if (key.escape) return { ui: { ...ui, detail: null } };
    if (key.upArrow || input === 'k') return scroll(1);
    if (key.downArrow || input === 'j') return scroll(-1);
    if (key.pageUp) return scroll(10);
    if (key.pageDown) return scroll(-10);
  } else {
    if (key.upArrow || input === 'k') return { ui: { ...ui, selected: Math.max(selected - 1, 0) } };
    if (key.downArrow || input === 'j') return { ui: { ...ui, selected: Math.min(selected + 1, Math.max(n - 1, 0)) } };
  }
  if (input === 'K') {
    if (n === 0) return { ui, message: { text: 'no bots to stop', tone: 'info' } };
    return { ui: { ...ui, confirmKill: { count: n } } };
  }
  const bot = ui.detail ? ctx.bots.find((b) => b.id === ui.detail!.id) : ctx.bots[selected];
  const act = (action: Extract<BotEffect, { type: 'bot' }>['action']): BotsKeyResult => {
    if (!bot) return { ui, message: { text: 'no bot selected: create one with algo bot create NAME --strategy ID --symbol SYM', tone: 'error' } };
    return { ui, effect: { type: 'bot', action, bot: bot.id }, message: { text: `${bot.name}: ${action}…`, tone: 'info' } };
  };
  if (key.return && !ui.detail) return bot ? { ui: { ...ui, selected, detail: { id: bot.id, scroll: 0 } } } : act('start');
  switch (input) {
    case 's':
      return act('start');
    case 'S':
    case 'x':
      return act('stop');
    case 'p':
      return act(bot?.desired === 'paused' ? 'resume' : 'pause');
    case 'f':
      return act('flatten');
    default:
      return null;
  }
}
