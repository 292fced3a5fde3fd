import { startApiServer, type StartApiOptions } from './start.js';

/**
 * `algo serve`: start, say where (and whether sandbox or live; never a token), then wait for
 * SIGTERM or SIGINT and shut down gracefully: stop accepting, let in-flight requests finish
 * (bounded), flush the activity log, close the store.
 */
export async function runServe(opts: StartApiOptions): Promise<void> {
  const server = await startApiServer(opts);
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`algo serve: listening on ${server.url} (${server.mode === 'sandbox' ? 'sandbox' : 'live Kite'}, store ${server.store})`);
  out(`  log in:  ${server.url}/api/auth/login${server.mode === 'live' ? ' (your Kite app must redirect to /api/auth/callback)' : ''}`);
  out(`  OpenAPI: ${server.url}/api/openapi.json`);
  if (!['127.0.0.1', '::1', 'localhost'].includes(server.host)) {
    process.stderr.write(`algo serve: warning: bound to ${server.host}: other machines can reach this API\n`);
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  out(`algo serve: ${signal}: finishing requests in flight, then stopping`);
  await server.close();
  out('algo serve: stopped');
  // Whatever a library may have left open must not keep a stopped server alive.
  setTimeout(() => process.exit(0), 2000).unref();
}
