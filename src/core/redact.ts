/**
 * Every log line and error message passes through redact() before it is written.
 * Secrets (access tokens, API secrets, session tokens, passwords in URIs) are registered
 * as they are read, and also caught by shape.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) secrets.add(value);
}

const PATTERNS: Array<[RegExp, string]> = [
  [/(access_token|request_token|api_secret|session_token|public_token|enctoken|checksum|password)=([^&\s"']+)/gi, '$1=***'],
  [/("(?:access_token|api_secret|apiSecret|session_token|public_token|enctoken|refresh_token|password)"\s*:\s*")[^"]*"/gi, '$1***"'],
  [/(token\s+[^:\s]+:)[A-Za-z0-9._-]+/gi, '$1***'],
  [/(mongodb(?:\+srv)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@'],
  [/(x-session-token:\s*)\S+/gi, '$1***'],
];

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}
