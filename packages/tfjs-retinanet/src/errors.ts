/**
 * A COCO file or object that does not follow the format (a missing field, a box that is not
 * four finite numbers, an id that appears twice, ...). Its message names the entry, so that
 * the user can fix the file from one line; a command line prints it and exits with code 2.
 */
export class CocoFormatError extends Error {
  /** Always 'CocoFormatError'. */
  override name = 'CocoFormatError';
}
