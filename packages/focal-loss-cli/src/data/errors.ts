/**
 * Errors that are the user's to fix (bad data, bad flags). The CLI prints their message
 * on one line and exits with code 2; anything else is a bug and exits with code 1.
 */
export class DataError extends Error {
  override name = 'DataError';
}

/** `s` with invisible and control characters written as U+XXXX, so that a message stays one readable line. */
export function printable(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\ufffd]/gu, (c) => codePoint(c));
}

/** 'U+00E9' for 'é'. */
export const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
