/**
 * Azure Table keys may not contain / \ # ? or control characters, and user-supplied ids (emails,
 * Teams conversation ids with ';' and ':') often do. Keys are escaped reversibly with '%XX' so a
 * key can be decoded for display and two different inputs never collide.
 */
const FORBIDDEN = /[\/\\#?%\u0000-\u001f\u007f-\u009f]/g;

export function encodeKey(raw: string): string {
  if (typeof raw !== 'string') throw new TypeError('table key must be a string');
  const encoded = raw.replace(FORBIDDEN, (ch) => '%' + ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase());
  // Azure rejects keys over 1 KiB; fail loudly rather than truncate into a collision.
  if (Buffer.byteLength(encoded, 'utf8') > 1024) throw new RangeError('table key is longer than 1 KiB');
  return encoded;
}

export function decodeKey(encoded: string): string {
  return encoded.replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Row keys that sort newest-first: Azure returns rows in ascending key order. */
export function reverseTimeKey(when: Date): string {
  return String(8_640_000_000_000_000 - when.getTime()).padStart(16, '0');
}

/** Row keys that sort oldest-first, fixed width so string order equals time order. */
export function timeKey(when: Date): string {
  return String(when.getTime()).padStart(15, '0');
}
