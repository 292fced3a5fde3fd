/** FNV-1a of the user id, 4 digits: separates users' ids that share a second and a sequence number. */
function userDigits(userId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h % 10_000).padStart(4, '0');
}

/**
 * An order or trade id, numeric like Kite's: the second it was made, 4 digits of the user, the
 * user's sequence number (at least 6 digits) and 2 random digits. The sequence lives in the
 * account's meta and only grows (it survives reset), so one user never sees an id twice; two users
 * collide only if the second, the user digits, the sequence and the random digits all agree.
 */
export function newId(now: number, userId: string, seq: number): string {
  const rand = String(Math.floor(Math.random() * 100)).padStart(2, '0');
  return `${Math.floor(now / 1000)}${userDigits(userId)}${String(seq).padStart(6, '0')}${rand}`;
}
