import fs from 'node:fs';
import path from 'node:path';
import { SessionSchema } from '../auth/sessions.js';
import { configPath } from '../config.js';
import { fail, octal, ok, warn, type DoctorCheck } from './check.js';
import { formatIst } from '../ist.js';
import { sessionsDir } from '../paths.js';

/** The data folder, config.json and the session files: modes and contents. Reads only. */

function statOf(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

function writable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function checkDataDir(dataDir: string): DoctorCheck {
  const name = 'data folder';
  const st = statOf(dataDir);
  if (!st) return warn(name, `${dataDir} does not exist yet`, 'it is created by `algo login` or `algo profile add`');
  if (!st.isDirectory()) return fail(name, `${dataDir} is not a folder`, 'move it away or point --data-dir/ALGO_DATA_DIR elsewhere');
  if (!writable(dataDir)) return fail(name, `${dataDir} is not writable`, `run chmod u+rwx ${dataDir}`);
  if (st.mode & 0o022) return warn(name, `${dataDir} (mode ${octal(st.mode)}) can be written by others`, `run chmod 700 ${dataDir}`);
  return ok(name, `${dataDir} (mode ${octal(st.mode)})`);
}

function isLink(p: string): boolean {
  return fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() === true;
}

const linkHint = (p: string) => `algo does not follow links for its private files: replace it with the file itself, or remove it (rm ${p})`;

export function checkConfigFile(dataDir: string): DoctorCheck | null {
  const file = configPath(dataDir);
  if (isLink(file)) return fail('config.json', `${file} is a symbolic link`, linkHint(file));
  const st = statOf(file);
  if (!st) return null;
  if (st.mode & 0o077) return fail('config.json', `${file} (mode ${octal(st.mode)}) can be read by others and may hold API secrets`, `run chmod 600 ${file}`);
  return ok('config.json', `${file} (mode ${octal(st.mode)})`);
}

function checkSessionFile(file: string, now: number): DoctorCheck {
  const name = `session ${path.basename(file, '.json')}`;
  if (isLink(file)) return fail(name, `${file} is a symbolic link`, linkHint(file));
  const st = statOf(file);
  if (!st?.isFile()) return fail(name, `${file} is not a file`, 'move it out of the sessions folder');
  if (st.mode & 0o077) return fail(name, `${file} (mode ${octal(st.mode)}) can be read by others`, `run chmod 600 ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return fail(name, `${file} is damaged (not JSON)`, `delete it and run \`algo login\``);
  }
  const parsed = SessionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(name, `${file} is not an algo session (${issue.path.join('.') || 'root'}: ${issue.message})`, 'delete it and run `algo login`');
  }
  const s = parsed.data;
  if (`${s.user_id}.json` !== path.basename(file)) return fail(name, `${file} holds the session of ${s.user_id}`, 'delete it and run `algo login`');
  const expires = Date.parse(s.expires_at);
  const when = `${formatIst(expires)} IST`;
  if (now >= expires) return warn(name, `profile ${s.profile}: expired at ${when}`, `run \`algo login --profile ${s.profile}\``);
  return ok(name, `profile ${s.profile}${s.sandbox ? ' (sandbox)' : ''}: valid until ${when}`);
}

/** The sessions folder (0700) and every session file in it (0600, an algo session, expiry). */
export function checkSessions(dataDir: string, now: number): DoctorCheck[] {
  const dir = sessionsDir(dataDir);
  if (isLink(dir)) return [fail('sessions', `${dir} is a symbolic link`, linkHint(dir))];
  const st = statOf(dir);
  if (!st) return [ok('sessions', `no sessions yet (${dir})`)];
  if (!st.isDirectory()) return [fail('sessions', `${dir} is not a folder`, 'move it away and run `algo login`')];
  const out: DoctorCheck[] = [];
  out.push(
    st.mode & 0o077
      ? fail('sessions', `${dir} (mode ${octal(st.mode)}) can be entered by others`, `run chmod 700 ${dir}`)
      : ok('sessions', `${dir} (mode ${octal(st.mode)})`),
  );
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) out.push(checkSessionFile(path.join(dir, f), now));
  return out;
}
