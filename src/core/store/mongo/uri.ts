import { UsageError } from '../../errors.js';
import { redact, registerSecret } from '../../redact.js';
import { checkDatabaseName, DEFAULT_DATABASE } from './names.js';

/** What algo needs from a MongoDB URI before the driver sees it. Never holds the password. */
export interface MongoTarget {
  /** "host:port" (or several, comma-separated) for messages; the default port is filled in. */
  hosts: string;
  database: string;
  srv: boolean;
}

const URI_RE = /^(mongodb(?:\+srv)?):\/\/(?:([^@/]*)@)?([^/?#@]+)(?:\/([^?#]*))?(?:[?#].*)?$/;

export function isMongoUri(uri: string): boolean {
  return /^mongodb(\+srv)?:\/\//.test(uri);
}

/** "host:port" with MongoDB's default port filled in ("[::1]" -> "[::1]:27017"). */
function hostLabel(host: string, srv: boolean): string {
  return srv || /:[^\]]*$/.test(host) ? host : `${host}:27017`;
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Parse a mongodb:// or mongodb+srv:// URI. The password (if any) is registered with redact()
 * so it can never reach a log line or an error message.
 */
export function parseMongoUri(uri: string): MongoTarget {
  const m = URI_RE.exec(uri);
  if (!m) {
    throw new UsageError(`the MongoDB URI ${redact(uri)} is not valid`, 'use mongodb://[user:password@]host[:port][/database]');
  }
  const srv = m[1] === 'mongodb+srv';
  const userinfo = m[2];
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      const password = userinfo.slice(colon + 1);
      registerSecret(password);
      registerSecret(decoded(password));
    }
  }
  const hosts = m[3]!.split(',').map((h) => hostLabel(h, srv)).join(',');
  const path = decoded(m[4] ?? '');
  return { hosts, database: path === '' ? DEFAULT_DATABASE : checkDatabaseName(path), srv };
}
