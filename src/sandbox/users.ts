import { SANDBOX_USERS } from './types.js';

export type SandboxUserId = (typeof SANDBOX_USERS)[number];

export interface DemoHolding {
  exchange: 'NSE' | 'BSE';
  tradingsymbol: string;
  quantity: number;
  /** Paise. */
  averagePrice: number;
}

/**
 * One order of a demo user's scripted day, at a fixed IST time on every trading day. Prices are not
 * fixed: fills happen at the market's price at that moment, a LIMIT rests `limitOffsetPct` away from it.
 */
export interface DemoOrder {
  time: string; // "HH:MM:SS" IST
  exchange: 'NSE' | 'BSE';
  tradingsymbol: string;
  transaction_type: 'BUY' | 'SELL';
  order_type: 'MARKET' | 'LIMIT';
  product: 'CNC' | 'MIS';
  quantity: number;
  outcome: 'COMPLETE' | 'OPEN' | 'CANCELLED' | 'REJECTED';
  /** For a LIMIT that does not fill: how far below (buy) or above (sell) the market it rests, in %. */
  limitOffsetPct?: number;
  /** For a CANCELLED order: when it was cancelled. */
  cancelAt?: string;
  tag?: string;
}

export interface DemoUser {
  user_id: SandboxUserId;
  user_name: string;
  user_shortname: string;
  email: string;
  /** Equity opening balance, paise. */
  cash: number;
  /** Commodity opening balance, paise. */
  commodityCash: number;
  holdings: DemoHolding[];
  orders: DemoOrder[];
}

export const DEMO_USERS: Record<SandboxUserId, DemoUser> = {
  SB0001: {
    user_id: 'SB0001',
    user_name: 'Asha Rao',
    user_shortname: 'Asha',
    email: 'asha.rao@sandbox.invalid',
    cash: 5_00_000_00,
    commodityCash: 50_000_00,
    holdings: [
      { exchange: 'NSE', tradingsymbol: 'INFY', quantity: 25, averagePrice: 1325_40 },
      { exchange: 'NSE', tradingsymbol: 'RELIANCE', quantity: 40, averagePrice: 1210_00 },
      { exchange: 'NSE', tradingsymbol: 'TCS', quantity: 8, averagePrice: 3450_25 },
      { exchange: 'NSE', tradingsymbol: 'ITC', quantity: 120, averagePrice: 392_10 },
    ],
    orders: [
      { time: '09:21:04', exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', order_type: 'MARKET', product: 'MIS', quantity: 10, outcome: 'COMPLETE' },
      { time: '10:05:37', exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'SELL', order_type: 'LIMIT', product: 'MIS', quantity: 10, outcome: 'COMPLETE', tag: 'scalp' },
      { time: '11:02:15', exchange: 'NSE', tradingsymbol: 'RELIANCE', transaction_type: 'BUY', order_type: 'MARKET', product: 'CNC', quantity: 5, outcome: 'COMPLETE' },
      { time: '12:10:48', exchange: 'NSE', tradingsymbol: 'TATAMOTORS', transaction_type: 'BUY', order_type: 'LIMIT', product: 'CNC', quantity: 20, outcome: 'OPEN', limitOffsetPct: 3 },
    ],
  },
  SB0002: {
    user_id: 'SB0002',
    user_name: 'Vikram Mehta',
    user_shortname: 'Vikram',
    email: 'vikram.mehta@sandbox.invalid',
    cash: 2_00_000_00,
    commodityCash: 0,
    holdings: [
      { exchange: 'NSE', tradingsymbol: 'HDFCBANK', quantity: 60, averagePrice: 1020_50 },
      { exchange: 'BSE', tradingsymbol: 'SBIN', quantity: 16, averagePrice: 801_80 },
      { exchange: 'NSE', tradingsymbol: 'ICICIBANK', quantity: 30, averagePrice: 1105_00 },
      { exchange: 'NSE', tradingsymbol: 'LT', quantity: 5, averagePrice: 3520_00 },
    ],
    orders: [
      { time: '09:45:12', exchange: 'NSE', tradingsymbol: 'SBIN', transaction_type: 'SELL', order_type: 'MARKET', product: 'MIS', quantity: 15, outcome: 'COMPLETE' },
      { time: '10:30:03', exchange: 'NSE', tradingsymbol: 'ITC', transaction_type: 'BUY', order_type: 'LIMIT', product: 'CNC', quantity: 50, outcome: 'CANCELLED', limitOffsetPct: 2, cancelAt: '10:50:41' },
      { time: '12:40:26', exchange: 'NSE', tradingsymbol: 'SBIN', transaction_type: 'BUY', order_type: 'LIMIT', product: 'MIS', quantity: 15, outcome: 'COMPLETE' },
      { time: '13:05:09', exchange: 'NSE', tradingsymbol: 'MARUTI', transaction_type: 'BUY', order_type: 'MARKET', product: 'CNC', quantity: 2000, outcome: 'REJECTED' },
    ],
  },
  SB0003: {
    user_id: 'SB0003',
    user_name: 'Priya Nair',
    user_shortname: 'Priya',
    email: 'priya.nair@sandbox.invalid',
    cash: 10_00_000_00,
    commodityCash: 1_00_000_00,
    holdings: [
      { exchange: 'NSE', tradingsymbol: 'BHARTIARTL', quantity: 20, averagePrice: 1685_60 },
      { exchange: 'NSE', tradingsymbol: 'SUNPHARMA', quantity: 15, averagePrice: 1590_00 },
      { exchange: 'NSE', tradingsymbol: 'TITAN', quantity: 10, averagePrice: 3280_75 },
      { exchange: 'BSE', tradingsymbol: 'INFY', quantity: 12, averagePrice: 1480_00 },
    ],
    orders: [
      { time: '09:16:30', exchange: 'NSE', tradingsymbol: 'TATASTEEL', transaction_type: 'BUY', order_type: 'MARKET', product: 'MIS', quantity: 50, outcome: 'COMPLETE' },
      { time: '10:45:55', exchange: 'NSE', tradingsymbol: 'TATASTEEL', transaction_type: 'SELL', order_type: 'LIMIT', product: 'MIS', quantity: 20, outcome: 'COMPLETE' },
      { time: '11:20:00', exchange: 'NSE', tradingsymbol: 'HCLTECH', transaction_type: 'BUY', order_type: 'MARKET', product: 'CNC', quantity: 6, outcome: 'COMPLETE', tag: 'sip' },
    ],
  },
};

export function demoUser(userId: string): DemoUser | undefined {
  return (DEMO_USERS as Record<string, DemoUser | undefined>)[userId];
}
