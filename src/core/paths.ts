import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root (where package.json is), whether running from src/ or dist/. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function defaultDataDir(): string {
  return path.join(packageRoot, 'data');
}

export const USER_ID_RE = /^[A-Z0-9]{2,12}$/;
export const PROFILE_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export function sessionsDir(dataDir: string): string {
  return path.join(dataDir, 'sessions');
}
