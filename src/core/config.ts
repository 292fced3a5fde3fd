import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { defaultDataDir, PROFILE_RE, USER_ID_RE } from './paths.js';

/** One profile in config.json. */
export const ProfileSchema = z.strictObject({
  apiKey: z.string().min(1),
  apiSecret: z.string().min(1).optional(),
  userId: z.string().regex(USER_ID_RE, 'must be 2-12 capital letters or digits').optional(),
  sandbox: z.boolean().optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** The whole of data/config.json. */
export const ConfigFileSchema = z.strictObject({
  defaultProfile: z.string().regex(PROFILE_RE).optional(),
  profiles: z.record(z.string().regex(PROFILE_RE, 'profile names are letters, digits, _ and -'), ProfileSchema).default({}),
  kiteApiRoot: z.url().optional(),
  kiteLoginUrl: z.url().optional(),
  kiteTickerUrl: z.string().regex(/^wss?:\/\//, 'must start with ws:// or wss://').optional(),
  redirectPort: z.number().int().min(0).max(65535).optional(),
  store: z.string().optional(),
  alwaysOpen: z.boolean().optional(),
  paper: z
    .strictObject({
      slippageBps: z.number().min(0).max(500).optional(),
      misMarginPct: z.number().min(1).max(100).optional(),
      staleQuoteSeconds: z.number().min(1).max(86_400).optional(),
      capital: z.number().positive().optional(),
    })
    .optional(),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** Settings after precedence: flag, environment, config.json, default. */
export const SettingsSchema = z.object({
  dataDir: z.string().min(1),
  profile: z.string().regex(PROFILE_RE, 'profile names are letters, digits, _ and - (up to 32)'),
  kiteApiRoot: z.url(),
  kiteLoginUrl: z.url(),
  kiteTickerUrl: z.string().regex(/^wss?:\/\//, 'must start with ws:// or wss://'),
  redirectPort: z.coerce.number().int('must be a whole number').min(0).max(65535, 'must be 0-65535'),
  store: z.string().regex(/^(sqlite:.+|mongodb(\+srv)?:\/\/.+)$/, 'must be sqlite:PATH or mongodb://...'),
  sandbox: z.boolean(),
  /** The sandbox's market trades around the clock (demos at any hour). */
  alwaysOpen: z.boolean(),
  /** Paper settings. */
  slippageBps: z.number().min(0).max(500),
  misMarginPct: z.number().min(1).max(100),
  staleQuoteSeconds: z.number().min(1),
  capital: z.number().positive(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export interface GlobalFlags {
  dataDir?: string;
  profile?: string;
  port?: string | number;
  store?: string;
  sandbox?: boolean;
}

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
};

function firstIssue(err: z.ZodError, prefix: string): UsageError {
  const issue = err.issues[0]!;
  const key = issue.path.join('.') || '(root)';
  const field = SOURCES[key] ? `${key} (${SOURCES[key]})` : key;
  return new UsageError(`${prefix}: ${field} ${issue.message}`, 'fix the value and run the command again');
}

export function configPath(dataDir: string): string {
  return path.join(dataDir, 'config.json');
}

/** Read data/config.json (missing file = empty config); a bad file names its first bad field. */
export function readConfigFile(dataDir: string): ConfigFile {
  const file = configPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON`, 'fix it or move it away to start afresh');
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, `invalid ${file}`);
  return parsed.data;
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
  const prof = file.profiles[profile];
  const anyKey = Boolean(env.KITE_API_KEY) || Object.values(file.profiles).some((p) => !p.sandbox);
  const sandbox = flags.sandbox ?? envBool(env.ALGO_SANDBOX) ?? (prof ? prof.sandbox === true : !anyKey);
  const candidate = {
    dataDir,
    profile,
    kiteApiRoot: env.KITE_API_ROOT ?? file.kiteApiRoot ?? KITE_DEFAULTS.kiteApiRoot,
    kiteLoginUrl: env.KITE_LOGIN_URL ?? file.kiteLoginUrl ?? KITE_DEFAULTS.kiteLoginUrl,
    kiteTickerUrl: env.KITE_TICKER_URL ?? file.kiteTickerUrl ?? KITE_DEFAULTS.kiteTickerUrl,
    redirectPort: flags.port ?? env.ALGO_REDIRECT_PORT ?? file.redirectPort ?? 5959,
    store: flags.store ?? env.ALGO_STORE ?? file.store ?? `sqlite:${path.join(dataDir, 'algo.db')}`,
    sandbox,
    alwaysOpen: envBool(env.ALGO_ALWAYS_OPEN) ?? file.alwaysOpen ?? false,
    slippageBps: file.paper?.slippageBps ?? 5,
    misMarginPct: file.paper?.misMarginPct ?? 20,
    staleQuoteSeconds: file.paper?.staleQuoteSeconds ?? 60,
    capital: file.paper?.capital ?? 100_000,
  };
  const parsed = SettingsSchema.safeParse(candidate);
  if (!parsed.success) throw firstIssue(parsed.error, 'invalid setting');
  return { settings: parsed.data, file };
}
