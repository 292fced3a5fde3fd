import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers (docs/architecture.md), checked on every import in src/: core imports no face and
 * no app; app imports core (and the sandbox's market); server and tui never import cli or each
 * other; cli imports tui and server only to start them, lazily (a dynamic import of their entry).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');

type Layer = 'core' | 'app' | 'cli' | 'tui' | 'server' | 'sandbox';

interface Edge {
  from: string;
  to: string;
  dynamic: boolean;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

/** Every relative import of every file in src, static or dynamic (type-only imports count too). */
export function edgesOf(dir: string): Edge[] {
  const out: Edge[] = [];
  for (const file of files(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      const to = path.resolve(path.dirname(file), m[1]!).replace(/\.js$/, '');
      out.push({ from: path.relative(dir, file), to: path.relative(dir, to), dynamic: m[0].includes('(') });
    }
  }
  return out;
}

const layerOf = (p: string): Layer => p.split(path.sep)[0] as Layer;

/** The entry files through which the CLI may start a face. */
const STARTS = new Set(['tui/start', 'tui/run', 'server/start', 'server/run']);

export function violations(edges: Edge[]): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const from = layerOf(e.from);
    const to = layerOf(e.to);
    if (from === to) continue;
    const say = (why: string) => bad.push(`${e.from} -> ${e.to}: ${why}`);
    if (from === 'core' && to !== 'core') say('core imports no face, no app and no sandbox');
    else if (from === 'app' && (to === 'cli' || to === 'tui' || to === 'server')) say('app imports core only');
    else if ((from === 'server' || from === 'tui') && (to === 'cli' || to === 'server' || to === 'tui')) say(`${from} never imports ${to}`);
    else if ((from === 'server' || from === 'tui') && to === 'sandbox') say(`${from} reaches the sandbox through src/app`);
    else if (from === 'cli' && (to === 'tui' || to === 'server') && !(e.dynamic && STARTS.has(e.to.split(path.sep).join('/')))) {
      say(`cli starts ${to} only through a lazy import of its entry (${[...STARTS].filter((s) => s.startsWith(to)).join(', ')})`);
    } else if (from === 'sandbox' && to !== 'core') say('the sandbox imports core only');
  }
  return bad;
}

describe('layering', () => {
  it('every import in src follows the layers', () => {
    expect(violations(edgesOf(src))).toEqual([]);
  });

  it('the check catches each kind of violation', () => {
    const e = (from: string, to: string, dynamic = false): Edge => ({ from, to, dynamic });
    expect(violations([
      e('core/paper/service.ts', 'app/paper'),
      e('core/x.ts', 'tui/model'),
      e('server/routes/paper.ts', 'cli/context'),
      e('tui/controller.ts', 'server/app'),
      e('tui/data/x.ts', 'sandbox/market'),
      e('cli/dashboard.ts', 'tui/data/paper-port', true),
      e('cli/dashboard.ts', 'tui/start'),
      e('app/paper.ts', 'cli/context'),
    ])).toHaveLength(8);
    expect(violations([e('cli/dashboard.ts', 'tui/start', true), e('app/market.ts', 'sandbox/market', true), e('tui/x.ts', 'app/paper'), e('server/x.ts', 'core/errors')])).toEqual([]);
  });
});
