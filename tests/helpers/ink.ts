import type { EventEmitter } from 'node:events';

/**
 * Waiting on Ink (ink-testing-library) without fixed sleeps: Ink renders and reads keys
 * asynchronously, so a test polls for the frame it expects, up to a deadline.
 */

const POLL_MS = 5;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type FrameTest = string | RegExp | ((frame: string) => boolean);

/**
 * Poll `lastFrame()` until `test` holds (a string to contain, a pattern, or a predicate) and
 * return that frame; on timeout, fail with the last frame in the message.
 */
export async function waitForFrame(lastFrame: () => string | undefined, test: FrameTest, timeoutMs = 3000): Promise<string> {
  const ok = typeof test === 'string' ? (f: string) => f.includes(test) : test instanceof RegExp ? (f: string) => test.test(f) : test;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (ok(frame)) return frame;
    if (Date.now() >= deadline) {
      const what = typeof test === 'function' ? 'the predicate' : String(test);
      throw new Error(`waitForFrame: no frame matched ${what} within ${timeoutMs} ms; the last frame was:\n${frame}`);
    }
    await pause(POLL_MS);
  }
}

/**
 * Resolve once Ink is reading `stdin` (useInput attaches its listener in an effect, after the
 * first frame), so that a key written next is not lost.
 */
export async function waitForStdin(stdin: EventEmitter, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (stdin.listenerCount('readable') === 0) {
    if (Date.now() >= deadline) throw new Error(`waitForStdin: Ink did not start reading stdin within ${timeoutMs} ms`);
    await pause(POLL_MS);
  }
}

/** A frame without its ANSI colour codes (what a person reads). */
export const plain = (frame: string | undefined): string => (frame ?? '').replace(/\x1b\[[0-9;]*m/g, '');
