import crypto from 'node:crypto';
import fs from 'node:fs';
import { expiresAt, listSessions, removeSession, type Session } from '../core/auth/sessions.js';
import { sessionsDir } from '../core/paths.js';
import type { ApiSession, SessionGateway } from './deps.js';

/** The SHA-256 of a token, in hex (the one-shot hash: a fraction of createHash's cost per request). */
const digest = (token: string): string => crypto.hash('sha256', token);

export function toApiSession(s: Session): ApiSession {
  return { ...s, expiresAt: expiresAt(s) };
}

/**
 * The sessions of data/sessions/, indexed by the SHA-256 of their tokens. The folder is watched,
 * and read again after any change (sessions are written by rename and removed by unlink, so
 * every login or logout, from this process or another, is an event on the folder); while it
 * cannot be watched (no folder yet) it is read on every lookup, and a token not in the index
 * makes it look at the folder's time stamp (the watcher's event may be on its way). A known
 * token costs one hash and one constant-time comparison of digests, however many users there are.
 */
export class SessionIndex implements SessionGateway {
  private byDigest = new Map<string, { digest: Buffer; session: ApiSession }>();
  private watcher: fs.FSWatcher | null = null;
  private stale = true;
  private stamp = '';

  /** Only sessions of the same kind as the server (sandbox or live) are served. */
  constructor(
    private readonly dataDir: string,
    private readonly sandbox: boolean,
  ) {}

  byToken(token: string): ApiSession | null {
    if (this.stale) this.reload();
    const d = digest(token);
    let hit = this.byDigest.get(d);
    // A session written a moment ago may not have reached the watcher yet: on a miss, look at the folder.
    if (!hit && this.stamp !== this.folderStamp()) {
      this.reload();
      hit = this.byDigest.get(d);
    }
    // Equal SHA-256 digests mean equal tokens; the comparison itself takes the same time either way.
    return hit && crypto.timingSafeEqual(hit.digest, Buffer.from(d, 'hex')) ? hit.session : null;
  }

  async remove(session: ApiSession): Promise<void> {
    removeSession(this.dataDir, session.user_id);
    this.stale = true;
  }

  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
  }

  private folderStamp(): string {
    try {
      const st = fs.statSync(sessionsDir(this.dataDir), { bigint: true });
      return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch {
      return 'none';
    }
  }

  private reload(): void {
    this.stamp = this.folderStamp();
    // Watch first, then read: a change made while reading marks the index stale again.
    this.watcher?.close();
    this.watcher = null;
    try {
      this.watcher = fs.watch(sessionsDir(this.dataDir), { persistent: false }, () => {
        this.stale = true;
      });
      this.watcher.on('error', () => {
        this.stale = true;
      });
      this.stale = false;
    } catch {
      this.stale = true; // no folder yet: read it again next time
    }
    const next = new Map<string, { digest: Buffer; session: ApiSession }>();
    for (const s of listSessions(this.dataDir)) {
      if (s.sandbox !== this.sandbox) continue;
      const d = digest(s.session_token);
      next.set(d, { digest: Buffer.from(d, 'hex'), session: toApiSession(s) });
    }
    this.byDigest = next;
  }
}
