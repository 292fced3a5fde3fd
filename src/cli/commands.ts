import type { Command } from 'commander';
import { registerLogin } from './login/index.js';
import { registerLogout } from './logout.js';
import { registerWhoami } from './whoami.js';
import { registerProfile } from './profile.js';
import { registerSandbox } from './sandbox.js';
import { registerMigrate } from './migrate.js';
import { registerDoctor } from './doctor.js';
import { registerServe } from './serve.js';
import { registerActivity } from './activity.js';
import { registerPortfolio } from './portfolio.js';
import { registerQuote } from './quote.js';
import { registerDashboard } from './dashboard.js';
import { registerPaper } from './paper/index.js';
import { registerStrategy } from './strategy/index.js';
import { registerBacktest } from './backtest/index.js';
import { registerBot } from './bot/index.js';

/**
 * Each command group lives in its own file and registers its commands here.
 * Registration must stay cheap: heavy modules are imported inside the actions.
 */
export function registerAll(program: Command): void {
  registerLogin(program);
  registerLogout(program);
  registerWhoami(program);
  registerProfile(program);
  registerSandbox(program);
  registerMigrate(program);
  registerDoctor(program);
  registerServe(program);
  registerActivity(program);
  registerPortfolio(program);
  registerQuote(program);
  registerDashboard(program);
  registerPaper(program);
  registerStrategy(program);
  registerBacktest(program);
  registerBot(program);
}
