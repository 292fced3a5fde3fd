/**
 * The NSE equity calendar: a dated table of exchange holidays, one entry per year (NSE's annual
 * circular). A trading day is a weekday that is not a holiday. A year without an entry has no
 * holidays known here: every weekday of it trades (add its list when NSE publishes it). Special
 * sessions on a weekend (Muhurat trading) are not modelled: weekends never trade.
 */

export interface Holiday {
  /** The IST date, "YYYY-MM-DD". */
  date: string;
  name: string;
}

/** NSE equity holidays by year (weekdays only; NSE's circular as reported by market sites). */
const NSE_HOLIDAYS: Readonly<Record<number, readonly Holiday[]>> = {
  2026: [
    { date: '2026-01-15', name: 'Maharashtra municipal elections' },
    { date: '2026-01-26', name: 'Republic Day' },
    { date: '2026-03-03', name: 'Holi' },
    { date: '2026-03-26', name: 'Shri Ram Navami' },
    { date: '2026-03-31', name: 'Shri Mahavir Jayanti' },
    { date: '2026-04-03', name: 'Good Friday' },
    { date: '2026-04-14', name: 'Dr. Baba Saheb Ambedkar Jayanti' },
    { date: '2026-05-01', name: 'Maharashtra Day' },
    { date: '2026-05-28', name: 'Bakri Id' },
    { date: '2026-06-26', name: 'Muharram' },
    { date: '2026-09-14', name: 'Ganesh Chaturthi' },
    { date: '2026-10-02', name: 'Mahatma Gandhi Jayanti' },
    { date: '2026-10-20', name: 'Dussehra' },
    { date: '2026-11-10', name: 'Diwali Balipratipada' },
    { date: '2026-11-24', name: 'Prakash Gurpurb Sri Guru Nanak Dev' },
    { date: '2026-12-25', name: 'Christmas' },
  ],
};

const BY_DATE = new Map<string, string>(Object.values(NSE_HOLIDAYS).flatMap((list) => list.map((h) => [h.date, h.name] as const)));

/** The years the table has a holiday list for. */
export function calendarYears(): number[] {
  return Object.keys(NSE_HOLIDAYS).map(Number).sort((a, b) => a - b);
}

/** The year's holidays, oldest first ([] for a year without an entry: weekdays only). */
export function holidaysOf(year: number): readonly Holiday[] {
  return NSE_HOLIDAYS[year] ?? [];
}

/** Every holiday in the table, oldest first. */
export function allHolidays(): Holiday[] {
  return calendarYears().flatMap((y) => holidaysOf(y));
}

/** The holiday's name on the IST date "YYYY-MM-DD", or undefined when it is not a holiday. */
export function holidayOn(date: string): string | undefined {
  return BY_DATE.get(date);
}

/** The last date isWeekendDate was asked about and its answer (an order asks for the same day several times). */
let lastWeekendAsk: string | null = null;
let lastWeekend = false;

/** Whether the IST date "YYYY-MM-DD" is a Saturday or Sunday. */
export function isWeekendDate(date: string): boolean {
  if (date === lastWeekendAsk) return lastWeekend;
  const w = new Date(`${date}T00:00:00Z`).getUTCDay();
  lastWeekendAsk = date;
  lastWeekend = w === 0 || w === 6;
  return lastWeekend;
}

/** Whether NSE equity trades on the IST date "YYYY-MM-DD": a weekday that is not a holiday. */
export function isTradingDate(date: string): boolean {
  return !isWeekendDate(date) && !BY_DATE.has(date);
}
