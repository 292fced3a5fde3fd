import type { Command } from 'commander';
import { clockFromEnv, type Clock } from '../core/clock.js';
import { resolveSettings, type ConfigFile, type GlobalFlags, type Settings } from '../core/config.js';
import { processIo, type Io } from './io.js';

/**
 * What every command needs, built lazily from the global flags (a factory of lazy getters:
 * nothing heavy is loaded until a command asks for it).
 */
export class Context {
  private cachedSettings: { settings: Settings; file: ConfigFile } | undefined;
  private cachedClock: Clock | undefined;
  readonly json: boolean;
  readonly flags: GlobalFlags;

  readonly io: Io;
  private readonly env: NodeJS.ProcessEnv;

  constructor(flags: GlobalFlags & { json?: boolean }, io: Io | NodeJS.ProcessEnv = processIo()) {
    this.flags = flags;
    this.json = Boolean(flags.json);
    this.io = 'stdout' in io && 'env' in io ? (io as Io) : { ...processIo(), env: io as NodeJS.ProcessEnv };
    this.env = this.io.env;
  }

  get settings(): Settings {
    return this.load().settings;
  }

  get configFile(): ConfigFile {
    return this.load().file;
  }

  /** Forget cached settings (after config.json changed). */
  reload(): void {
    this.cachedSettings = undefined;
  }

  get clock(): Clock {
    this.cachedClock ??= clockFromEnv(this.env);
    return this.cachedClock;
  }

  private load(): { settings: Settings; file: ConfigFile } {
    this.cachedSettings ??= resolveSettings(this.flags, this.env);
    return this.cachedSettings;
  }
}

/**
 * Where buildProgram(io) keeps the program's Io: on the root command, under a registered symbol
 * (so program.ts, on the start-up path, need not import this module).
 */
export const IO_SLOT: unique symbol = Symbol.for('algo.cli.io');

/** The Io of the program a command belongs to (found on its root), or the process's streams. */
export function ioOf(cmd: Command): Io {
  let root = cmd;
  while (root.parent) root = root.parent;
  return (root as Command & { [IO_SLOT]?: Io })[IO_SLOT] ?? processIo();
}

/** The context of a command's action: its own options merged with the program's global ones, and the program's Io. */
export function contextOf(cmd: Command, io: Io = ioOf(cmd)): Context {
  return new Context(cmd.optsWithGlobals() as GlobalFlags & { json?: boolean }, io);
}
