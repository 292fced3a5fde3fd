import type { SandboxInstrument } from './types.js';

/** A sandbox instrument plus what the simulation needs to know about it. */
export interface InstrumentSpec extends SandboxInstrument {
  /** The token whose price path this instrument follows (a BSE listing follows its NSE twin). */
  pathKey: number;
  /** Typical shares traded in a day (0 for indices). */
  dailyVolume: number;
  isin: string;
}

/**
 * NSE tick sizes by price band (since 15 April 2025), in paise: below ₹250 0.01; ₹250 to ₹1,000
 * 0.05; above ₹1,000 to ₹5,000 0.10; above ₹5,000 to ₹10,000 0.50; above ₹10,000 to ₹20,000 1.00;
 * above ₹20,000 5.00 (each upper edge belongs to its band). The exchange applies it to the last
 * trading day's close of each month for the whole next month; the sandbox does the same
 * (PriceModel.tickOfMonth), and the `tick_size` of a spec here is only its reference price's band:
 * a date's list (Market.instrumentsAt) carries that date's tick.
 */
export function tickForPrice(paise: number): number {
  if (paise < 250_00) return 1;
  if (paise <= 1_000_00) return 5;
  if (paise <= 5_000_00) return 10;
  if (paise <= 10_000_00) return 50;
  if (paise <= 20_000_00) return 100;
  return 500;
}

/** [tradingsymbol, NSE instrument token, name, reference price in rupees, annual volatility %, ISIN] */
type Row = [string, number, string, number, number, string];

/** The NIFTY 50 constituents with their Kite instrument tokens (NSE segment byte 1). */
const NIFTY50: Row[] = [
  ['ADANIENT', 6401, 'ADANI ENTERPRISES', 2400, 35, 'INE423A01024'],
  ['ADANIPORTS', 3861249, 'ADANI PORT & SEZ', 1450, 30, 'INE742F01042'],
  ['APOLLOHOSP', 40193, 'APOLLO HOSPITALS', 7500, 24, 'INE437A01024'],
  ['ASIANPAINT', 60417, 'ASIAN PAINTS', 2450, 22, 'INE021A01026'],
  ['AXISBANK', 1510401, 'AXIS BANK', 1200, 24, 'INE238A01034'],
  ['BAJAJ-AUTO', 4267265, 'BAJAJ AUTO', 8900, 24, 'INE917I01010'],
  ['BAJFINANCE', 81153, 'BAJAJ FINANCE', 1010, 30, 'INE296A01032'],
  ['BAJAJFINSV', 4268801, 'BAJAJ FINSERV', 2050, 26, 'INE918I01026'],
  ['BEL', 98049, 'BHARAT ELECTRONICS', 410, 32, 'INE263A01024'],
  ['BHARTIARTL', 2714625, 'BHARTI AIRTEL', 2050, 22, 'INE397D01024'],
  ['CIPLA', 177665, 'CIPLA', 1530, 22, 'INE059A01026'],
  ['COALINDIA', 5215745, 'COAL INDIA', 390, 28, 'INE522F01014'],
  ['DRREDDY', 225537, 'DR. REDDY S LABORATORIES', 1270, 23, 'INE089A01031'],
  ['EICHERMOT', 258817, 'EICHER MOTORS', 7000, 27, 'INE066A01021'],
  ['ETERNAL', 1304833, 'ETERNAL', 320, 35, 'INE758T01015'],
  ['GRASIM', 315393, 'GRASIM INDUSTRIES', 2800, 24, 'INE047A01021'],
  ['HCLTECH', 1850625, 'HCL TECHNOLOGIES', 1550, 25, 'INE860A01027'],
  ['HDFCBANK', 341249, 'HDFC BANK', 990, 20, 'INE040A01034'],
  ['HDFCLIFE', 119553, 'HDFC LIFE INS CO', 770, 24, 'INE795G01014'],
  ['HINDALCO', 348929, 'HINDALCO INDUSTRIES', 810, 30, 'INE038A01020'],
  ['HINDUNILVR', 356865, 'HINDUSTAN UNILEVER', 2450, 20, 'INE030A01027'],
  ['ICICIBANK', 1270529, 'ICICI BANK', 1400, 21, 'INE090A01021'],
  ['INDIGO', 2865921, 'INTERGLOBE AVIATION', 5700, 28, 'INE646L01027'],
  ['INFY', 408065, 'INFOSYS', 1500, 25, 'INE009A01021'],
  ['ITC', 424961, 'ITC', 410, 20, 'INE154A01025'],
  ['JIOFIN', 4644609, 'JIO FIN SERVICES', 310, 33, 'INE758E01017'],
  ['JSWSTEEL', 3001089, 'JSW STEEL', 1150, 28, 'INE019A01038'],
  ['KOTAKBANK', 492033, 'KOTAK MAHINDRA BANK', 2100, 22, 'INE237A01028'],
  ['LT', 2939649, 'LARSEN & TOUBRO', 3900, 23, 'INE018A01030'],
  ['M&M', 519937, 'MAHINDRA & MAHINDRA', 3600, 27, 'INE101A01026'],
  ['MARUTI', 2815745, 'MARUTI SUZUKI INDIA', 16000, 24, 'INE585B01010'],
  ['MAXHEALTH', 5728513, 'MAX HEALTHCARE INS', 1150, 30, 'INE027H01010'],
  ['NESTLEIND', 4598529, 'NESTLE INDIA', 1250, 20, 'INE239A01024'],
  ['NTPC', 2977281, 'NTPC', 330, 25, 'INE733E01010'],
  ['ONGC', 633601, 'OIL AND NATURAL GAS CORP', 245, 28, 'INE213A01029'],
  ['POWERGRID', 3834113, 'POWER GRID CORP', 290, 24, 'INE752E01010'],
  ['RELIANCE', 738561, 'RELIANCE INDUSTRIES', 1450, 24, 'INE002A01018'],
  ['SBILIFE', 5582849, 'SBI LIFE INSURANCE CO', 1900, 23, 'INE123W01016'],
  ['SBIN', 779521, 'STATE BANK OF INDIA', 900, 25, 'INE062A01020'],
  ['SHRIRAMFIN', 1102337, 'SHRIRAM FINANCE', 680, 33, 'INE721A01047'],
  ['SUNPHARMA', 857857, 'SUN PHARMACEUTICAL IND', 1700, 22, 'INE044A01036'],
  ['TATACONSUM', 878593, 'TATA CONSUMER PRODUCTS', 1150, 24, 'INE192A01025'],
  ['TATAMOTORS', 884737, 'TATA MOTORS', 680, 33, 'INE155A01022'],
  ['TATASTEEL', 895745, 'TATA STEEL', 170, 32, 'INE081A01020'],
  ['TCS', 2953217, 'TATA CONSULTANCY SERV', 3100, 22, 'INE467B01029'],
  ['TECHM', 3465729, 'TECH MAHINDRA', 1500, 27, 'INE669C01036'],
  ['TITAN', 897537, 'TITAN COMPANY', 3700, 24, 'INE280A01028'],
  ['TRENT', 502785, 'TRENT', 4500, 33, 'INE849A01020'],
  ['ULTRACEMCO', 2952193, 'ULTRATECH CEMENT', 12000, 23, 'INE481G01011'],
  ['WIPRO', 969473, 'WIPRO', 248, 24, 'INE075A01022'],
];

/** Stocks also listed on BSE: [tradingsymbol, BSE scrip code]; BSE tokens are code * 256 + 4. */
const BSE_LISTINGS: Array<[string, number]> = [
  ['RELIANCE', 500325],
  ['INFY', 500209],
  ['TCS', 532540],
  ['HDFCBANK', 500180],
  ['SBIN', 500112],
  ['ITC', 500875],
];

/** [tradingsymbol, token, level in rupees, volatility %]; exchange NSE, segment INDICES (segment byte 9). */
const INDICES: Array<[string, number, number, number]> = [
  ['NIFTY 50', 256265, 25900, 14],
  ['NIFTY BANK', 260105, 58000, 17],
];

/** Shares traded in a typical day: a turnover between ₹300 and ₹1,500 crore, spread by a fixed rule. */
function typicalVolume(token: number, pricePaise: number): number {
  const crore = 300 + ((token * 2654435761) >>> 0) % 1200;
  return Math.round((crore * 1e7 * 100) / pricePaise);
}

function stock(row: Row): InstrumentSpec {
  const [tradingsymbol, token, name, rupees, volPct, isin] = row;
  const basePrice = rupees * 100;
  return {
    instrument_token: token,
    exchange_token: token >>> 8,
    tradingsymbol,
    name,
    exchange: 'NSE',
    segment: 'NSE',
    instrument_type: 'EQ',
    tick_size: tickForPrice(basePrice),
    lot_size: 1,
    isIndex: false,
    basePrice,
    volatility: volPct / 100,
    pathKey: token,
    dailyVolume: typicalVolume(token, basePrice),
    isin,
  };
}

function bseTwin(nse: InstrumentSpec, code: number): InstrumentSpec {
  return {
    ...nse,
    instrument_token: code * 256 + 4,
    exchange_token: code,
    exchange: 'BSE',
    segment: 'BSE',
    dailyVolume: Math.round(nse.dailyVolume / 15),
  };
}

function index([tradingsymbol, token, rupees, volPct]: [string, number, number, number]): InstrumentSpec {
  return {
    instrument_token: token,
    exchange_token: token >>> 8,
    tradingsymbol,
    name: tradingsymbol,
    exchange: 'NSE',
    segment: 'INDICES',
    instrument_type: 'EQ',
    tick_size: 5,
    lot_size: 1,
    isIndex: true,
    basePrice: rupees * 100,
    volatility: volPct / 100,
    pathKey: token,
    dailyVolume: 0,
    isin: '',
  };
}

/** Every instrument the sandbox lists: NSE stocks, their BSE twins, then the indices. */
export function buildInstruments(): InstrumentSpec[] {
  const nse = NIFTY50.map(stock);
  const bySymbol = new Map(nse.map((i) => [i.tradingsymbol, i]));
  const bse = BSE_LISTINGS.map(([symbol, code]) => bseTwin(bySymbol.get(symbol)!, code));
  return [...nse, ...bse, ...INDICES.map(index)];
}
