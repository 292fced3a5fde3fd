/** One line of `algo doctor`: what was checked, how it went, and what to do about a problem. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do; set for warn and fail. */
  fix?: string;
}

export function ok(name: string, detail: string): DoctorCheck {
  return { name, status: 'ok', detail };
}

export function warn(name: string, detail: string, fix: string): DoctorCheck {
  return { name, status: 'warn', detail, fix };
}

export function fail(name: string, detail: string, fix: string): DoctorCheck {
  return { name, status: 'fail', detail, fix };
}

/** 0 when nothing failed, 1 otherwise (warnings do not fail). */
export function doctorExitCode(checks: readonly DoctorCheck[]): 0 | 1 {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** Mode bits as the octal people type to chmod, e.g. "755". */
export function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}
