import type { Command } from 'commander';

/**
 * Each command group lives in its own file and registers its commands here.
 * Registration must stay cheap: heavy modules are imported inside the actions.
 */
export function registerAll(program: Command): void {
  void program;
}
