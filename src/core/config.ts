// Schemas here use valibot, not zod: this module loads on every command, and importing zod
// costs ~70 ms (about node's own start-up) against ~10 ms for valibot; see src/core/check.ts
// and bench/cold-start.mjs.
import path from 'node:path';
import * as v from 'valibot';
import { readPrivateFile } from './auth/fs-private.js';
import { checker, notList, type CheckedType, type Issue } from './check.js';
import { AlgoError, UsageError } from './errors.js';
import { SANDBOX_PLANS } from './kite/plans.js';
import { defaultDataDir, PROFILE_RE, USER_ID_RE } from './paths.js';

/** A finite number (JSON cannot hold NaN or Infinity, but a caller's object can). */
const num = () => v.pipe(v.number(), v.finite());
/** A URL as `new URL` reads it: trimmed, and without the tabs and newlines the parser would drop. */
const url = () =>
  v.pipe(
    v.string(),
    v.trim(),
    v.check((s) => URL.canParse(s), 'must be a URL'),
    v.transform((s) => s.replace(/[\t\n\r]/g, '')),
  );
/** Kite's market_protection: -1 (Zerodha's automatic table) or a percentage above 0 and at most 100. */
const protection = () => v.pipe(num(), v.check((x) => x === -1 || (x > 0 && x <= 100), 'must be -1 (automatic, as Kite) or a percentage above 0 and at most 100'));
/** The share of a candle's traded volume a resting order may take, percent. */
const volumeShare = () => v.pipe(num(), v.gtValue(0), v.maxValue(100));
const tickerUrl = () => v.pipe(v.string(), v.regex(/^wss?:\/\//, 'must start with ws:// or wss://'));

/** One profile in config.json. */
export const ProfileSchema = checker(
  v.strictObject({
    apiKey: v.pipe(v.string(), v.minLength(1)),
    apiSecret: v.optional(v.pipe(v.string(), v.minLength(1))),
    userId: v.optional(v.pipe(v.string(), v.regex(USER_ID_RE, 'must be 2-12 capital letters or digits'))),
    sandbox: v.optional(v.boolean()),
  }),
);
export type Profile = CheckedType<typeof ProfileSchema>;

/** The whole of data/config.json. */
export const ConfigFileSchema = checker(
  notList(
    v.strictObject({
      defaultProfile: v.optional(v.pipe(v.string(), v.regex(PROFILE_RE))),
      profiles: v.optional(
        notList(v.record(v.pipe(v.string(), v.regex(PROFILE_RE, 'profile names are letters, digits, _ and -')), ProfileSchema.schema)),
        () => ({}),
      ),
      kiteApiRoot: v.optional(url()),
      kiteLoginUrl: v.optional(url()),
      kiteTickerUrl: v.optional(tickerUrl()),
      redirectPort: v.optional(v.pipe(num(), v.integer(), v.minValue(0), v.maxValue(65535))),
      store: v.optional(v.string()),
      alwaysOpen: v.optional(v.boolean()),
      sandboxPlan: v.optional(v.picklist(SANDBOX_PLANS, `must be one of ${SANDBOX_PLANS.join(', ')}`)),
      paper: v.optional(
        notList(
          v.strictObject({
            slippageBps: v.optional(v.pipe(num(), v.minValue(0), v.maxValue(500))),
            misMarginPct: v.optional(v.pipe(num(), v.minValue(1), v.maxValue(100))),
            staleQuoteSeconds: v.optional(v.pipe(num(), v.minValue(1), v.maxValue(86_400))),
            marketProtectionPct: v.optional(protection()),
            volumeSharePct: v.optional(volumeShare()),
            capital: v.optional(v.pipe(num(), v.gtValue(0))),
          }),
        ),
      ),
    }),
  ),
);
export type ConfigFile = CheckedType<typeof ConfigFileSchema>;

/** Settings after precedence: flag, environment, config.json, default. */
export const SettingsSchema = checker(
  v.object({
    dataDir: v.pipe(v.string(), v.minLength(1)),
    profile: v.pipe(v.string(), v.regex(PROFILE_RE, 'profile names are letters, digits, _ and - (up to 32)')),
    kiteApiRoot: url(),
    kiteLoginUrl: url(),
    kiteTickerUrl: tickerUrl(),
    /** A flag or variable gives a string: read it as a number (as Number() does), but an empty or blank one is no port (Number('') is 0). */
    redirectPort: v.pipe(
      v.unknown(),
      v.check((x) => typeof x !== 'string' || x.trim() !== '', 'must be a port number (0-65535), not empty'),
      v.transform(Number),
      v.number('must be a number'),
      v.finite('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(0),
      v.maxValue(65535, 'must be 0-65535'),
    ),
    store: v.pipe(v.string(), v.regex(/^(sqlite:.+|mongodb(\+srv)?:\/\/.+|memory:)$/, 'must be sqlite:PATH, mongodb://... or memory:')),
    sandbox: v.boolean(),
    /** The sandbox's market trades around the clock (demos at any hour). */
    alwaysOpen: v.boolean(),
    /**
     * The Kite Connect plan the sandbox imitates (connect: everything; no-historical; personal: no
     * market data). Other than connect, paper trading in sandbox mode reads the sandbox's market
     * over HTTP with the kiteconnect client, as on live Kite, so the plan's limits apply.
     */
    sandboxPlan: v.picklist(SANDBOX_PLANS, `must be one of ${SANDBOX_PLANS.join(', ')}`),
    /** Paper settings. */
    slippageBps: v.pipe(num(), v.minValue(0), v.maxValue(500)),
    misMarginPct: v.pipe(num(), v.minValue(1), v.maxValue(100)),
    staleQuoteSeconds: v.pipe(num(), v.minValue(1)),
    marketProtectionPct: protection(),
    volumeSharePct: volumeShare(),
    capital: v.pipe(num(), v.gtValue(0)),
  }),
);
export type Settings = CheckedType<typeof SettingsSchema>;

export interface GlobalFlags {
  dataDir?: string;
  profile?: string;
  port?: string | number;
  store?: string;
  sandbox?: boolean;
}

/** The defaults of every setting that has one: the only place they are written. */
export const DEFAULTS = {
  redirectPort: 5959,
  alwaysOpen: false,
  sandboxPlan: 'connect',
  /**
   * Paper trading: slippage in basis points, MIS margin %, the oldest quote that may fill, starting
   * capital in rupees; market protection as Kite's API takes it (-1: automatic, Zerodha's table of
   * 2% / 1% / 0.5% of the LTP by price); the share of a minute's traded volume a resting order may
   * take, percent (10: a participation rate execution desks treat as not moving the price).
   */
  paper: { slippageBps: 5, misMarginPct: 20, staleQuoteSeconds: 60, capital: 100_000, marketProtectionPct: -1, volumeSharePct: 10 },
} as const;

export const KITE_DEFAULTS = {
  kiteApiRoot: 'https://api.kite.trade',
  kiteLoginUrl: 'https://kite.zerodha.com/connect/login',
  kiteTickerUrl: 'wss://ws.kite.trade',
} as const;

/** Where a person sets each setting, so an error can name what to change. */
const SOURCES: Record<string, string> = {
  profile: '--profile / ALGO_PROFILE',
  redirectPort: '--port / ALGO_REDIRECT_PORT',
  store: '--store / ALGO_STORE',
  kiteApiRoot: 'KITE_API_ROOT',
  kiteLoginUrl: 'KITE_LOGIN_URL',
  kiteTickerUrl: 'KITE_TICKER_URL',
  sandboxPlan: 'ALGO_SANDBOX_PLAN',
};

function firstIssue(issues: Issue[], prefix: string): UsageError {
  const issue = issues[0]!;
  const key = issue.path.join('.') || '(root)';
  const field = SOURCES[key] ? `${key} (${SOURCES[key]})` : key;
  return new UsageError(`${prefix}: ${field} ${issue.message}`, 'fix the value and run the command again');
}

export function configPath(dataDir: string): string {
  return path.join(dataDir, 'config.json');
}

/**
 * The profiles as a map with no inherited keys (no prototype): `profiles.valueOf` or
 * `profiles.constructor` is no profile, wherever a name is looked up.
 */
function ownProfiles(profiles: Record<string, Profile> = {}): Record<string, Profile> {
  return Object.assign(Object.create(null) as Record<string, Profile>, profiles);
}

/** The profile of that name, or undefined: only the config's own keys count (never `toString`, `constructor`...). */
export function profileNamed(file: ConfigFile, name: string): Profile | undefined {
  return Object.hasOwn(file.profiles, name) ? file.profiles[name] : undefined;
}

/**
 * Read data/config.json (missing file = empty config); a bad file names its first bad field. The
 * file is opened without following a link: a symbolic link in its place is refused in one line.
 */
export function readConfigFile(dataDir: string): ConfigFile {
  const file = configPath(dataDir);
  let text: string | undefined;
  try {
    text = readPrivateFile(file);
  } catch (e) {
    if (e instanceof AlgoError) throw e;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (text === undefined) return { profiles: ownProfiles() };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON`, 'fix it or move it away to start afresh');
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error.issues, `invalid ${file}`);
  return { ...parsed.data, profiles: ownProfiles(parsed.data.profiles) };
}

function envBool(v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  return v === '1' || v.toLowerCase() === 'true' || v.toLowerCase() === 'yes';
}

/** The profile used when none is named: the chosen default, else the only one, else "default". */
export function defaultProfileName(file: ConfigFile): string {
  if (file.defaultProfile) return file.defaultProfile;
  const names = Object.keys(file.profiles);
  return names.length === 1 ? names[0]! : 'default';
}

export function resolveSettings(flags: GlobalFlags = {}, env: NodeJS.ProcessEnv = process.env): { settings: Settings; file: ConfigFile } {
  const dataDir = path.resolve(flags.dataDir ?? env.ALGO_DATA_DIR ?? defaultDataDir());
  const file = readConfigFile(dataDir);
  const profile = flags.profile ?? env.ALGO_PROFILE ?? defaultProfileName(file);
  const prof = profileNamed(file, profile);
  const anyKey = Boolean(env.KITE_API_KEY) || Object.values(file.profiles).some((p) => !p.sandbox);
  const sandbox = flags.sandbox ?? envBool(env.ALGO_SANDBOX) ?? (prof ? prof.sandbox === true : !anyKey);
  const candidate = {
    dataDir,
    profile,
    kiteApiRoot: env.KITE_API_ROOT ?? file.kiteApiRoot ?? KITE_DEFAULTS.kiteApiRoot,
    kiteLoginUrl: env.KITE_LOGIN_URL ?? file.kiteLoginUrl ?? KITE_DEFAULTS.kiteLoginUrl,
    kiteTickerUrl: env.KITE_TICKER_URL ?? file.kiteTickerUrl ?? KITE_DEFAULTS.kiteTickerUrl,
    redirectPort: flags.port ?? env.ALGO_REDIRECT_PORT ?? file.redirectPort ?? DEFAULTS.redirectPort,
    store: flags.store ?? env.ALGO_STORE ?? file.store ?? `sqlite:${path.join(dataDir, 'algo.db')}`,
    sandbox,
    alwaysOpen: envBool(env.ALGO_ALWAYS_OPEN) ?? file.alwaysOpen ?? DEFAULTS.alwaysOpen,
    sandboxPlan: env.ALGO_SANDBOX_PLAN || file.sandboxPlan || DEFAULTS.sandboxPlan,
    slippageBps: file.paper?.slippageBps ?? DEFAULTS.paper.slippageBps,
    misMarginPct: file.paper?.misMarginPct ?? DEFAULTS.paper.misMarginPct,
    staleQuoteSeconds: file.paper?.staleQuoteSeconds ?? DEFAULTS.paper.staleQuoteSeconds,
    marketProtectionPct: file.paper?.marketProtectionPct ?? DEFAULTS.paper.marketProtectionPct,
    volumeSharePct: file.paper?.volumeSharePct ?? DEFAULTS.paper.volumeSharePct,
    capital: file.paper?.capital ?? DEFAULTS.paper.capital,
  };
  const parsed = SettingsSchema.safeParse(candidate);
  if (!parsed.success) throw firstIssue(parsed.error.issues, 'invalid setting');
  return { settings: parsed.data, file };
}
