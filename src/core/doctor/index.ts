import type { Clock } from '../clock.js';
import type { Settings } from '../config.js';
import { doctorExitCode, fail, type DoctorCheck } from './check.js';
import { checkKite, checkNode } from './env.js';
import { checkConfigFile, checkDataDir, checkSessions } from './files.js';
import { checkStore } from './store.js';

export { doctorExitCode, type CheckStatus, type DoctorCheck } from './check.js';

export interface DoctorInput {
  dataDir: string;
  /** The resolved settings, or null when they could not be resolved (see settingsError). */
  settings: Settings | null;
  /** Why the settings could not be resolved, and what to do about it. */
  settingsError?: { message: string; hint?: string };
  clock: Clock;
  nodeVersion?: string;
  kiteTimeoutMs?: number;
  mongoTimeoutMs?: number;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/**
 * `algo doctor`: every check, in a fixed order, one line each. Never throws for what it finds
 * and never changes anything; a check that cannot run says so as a failure.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [checkNode(input.nodeVersion)];
  if (!input.settings) {
    const why = input.settingsError ?? { message: 'the settings could not be read' };
    checks.push(fail('config', why.message, why.hint ?? 'fix the setting it names, then run algo doctor again'));
  }
  checks.push(checkDataDir(input.dataDir));
  const config = checkConfigFile(input.dataDir);
  if (config) checks.push(config);
  checks.push(...checkSessions(input.dataDir, input.clock.now()));
  if (input.settings) {
    const [store, kite] = await Promise.all([
      checkStore(input.settings.store, { mongoTimeoutMs: input.mongoTimeoutMs }),
      checkKite(input.settings, input.kiteTimeoutMs),
    ]);
    checks.push(...store, ...kite);
  }
  return { ok: doctorExitCode(checks) === 0, checks };
}
