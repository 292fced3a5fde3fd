import type { Db, MongoClient } from 'mongodb';
import { AlgoError, UsageError } from '../../errors.js';
import { redact } from '../../redact.js';
import { parseMongoUri, type MongoTarget } from './uri.js';

/** An open connection and what was learnt about the deployment at connect time. */
export interface MongoConnection {
  client: MongoClient;
  db: Db;
  target: MongoTarget;
  /** True on a replica set or a sharded cluster (hello: setName present, or msg "isdbgrid"). */
  transactions: boolean;
  /** "7.0.12", or "unknown" when the server would not say. */
  serverVersion: string;
  /** "replica set NAME", "sharded cluster" or "standalone". */
  topology: string;
}

export interface ConnectOptions {
  /** Server selection and connect timeout (default 5000 ms): an unreachable server fails in about this long. */
  timeoutMs?: number;
}

export const CONNECT_TIMEOUT_MS = 5000;

interface Hello {
  setName?: string;
  msg?: string;
}

export function unreachableError(target: MongoTarget, cause?: unknown): AlgoError {
  return new AlgoError(
    `cannot reach MongoDB at ${target.hosts} (check that mongod is running and the URI in --store/ALGO_STORE)`,
    { cause },
  );
}

function isAuthFailure(err: unknown): boolean {
  const e = err as { code?: unknown; codeName?: unknown; message?: unknown };
  return e?.code === 18 || e?.codeName === 'AuthenticationFailed' || /authentication failed/i.test(String(e?.message ?? ''));
}

function connectError(target: MongoTarget, err: unknown): AlgoError {
  if (isAuthFailure(err)) {
    return new AlgoError(
      `MongoDB at ${target.hosts} refused the user name or password (check the credentials in the URI in --store/ALGO_STORE)`,
      { cause: err },
    );
  }
  return unreachableError(target, err);
}

/**
 * Connect with short timeouts and learn whether transactions are available. The driver is
 * imported here, and only here, so a SQLite user never loads it. Every failure is one line
 * without the password.
 */
export async function connectMongo(uri: string, opts: ConnectOptions = {}): Promise<MongoConnection> {
  const target = parseMongoUri(uri);
  const timeout = opts.timeoutMs ?? CONNECT_TIMEOUT_MS;
  const { MongoClient } = await import('mongodb');
  let client: MongoClient;
  try {
    client = new MongoClient(uri, { serverSelectionTimeoutMS: timeout, connectTimeoutMS: timeout, appName: 'algo' });
  } catch (err) {
    throw new UsageError(`the MongoDB URI for ${target.hosts} is not valid: ${redact((err as Error).message)}`, 'fix the URI in --store/ALGO_STORE');
  }
  try {
    await client.connect();
    const admin = client.db('admin');
    const hello = (await admin.command({ hello: 1 })) as Hello;
    const build = (await admin.command({ buildInfo: 1 }).catch(() => ({}))) as { version?: unknown };
    const transactions = hello.setName !== undefined || hello.msg === 'isdbgrid';
    const topology = hello.setName !== undefined ? `replica set ${hello.setName}` : hello.msg === 'isdbgrid' ? 'sharded cluster' : 'standalone';
    const serverVersion = typeof build.version === 'string' ? build.version : 'unknown';
    return { client, db: client.db(target.database), target, transactions, serverVersion, topology };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw connectError(target, err);
  }
}
