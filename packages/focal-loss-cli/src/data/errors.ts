/**
 * Errors that are the user's to fix (bad data, bad flags). The CLI prints their message
 * on one line and exits with code 2; anything else is a bug and exits with code 1.
 */
export class DataError extends Error {
  override name = 'DataError';
}
