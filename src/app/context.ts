import type { Clock } from '../core/clock.js';
import type { ConfigFile, Settings } from '../core/config.js';

/** What the application layer needs to wire core for a profile (the CLI's Context has all of it). */
export interface AppContext {
  readonly settings: Settings;
  readonly configFile: ConfigFile;
  readonly clock: Clock;
  /** Where a command's one-line notes go (the CLI's stderr); process.stderr without it. */
  readonly io?: { readonly stderr: { write(text: string): unknown } };
}
