/**
 * Repair of UTF-8 text that was stored as latin-1 ("MÃ¼nchen" → "München"), as some RIPE objects are.
 * A value is re-read as UTF-8 only when it looks like mojibake and the re-reading is valid UTF-8, so
 * genuine latin-1 text ("Société") is left alone.
 */

// A UTF-8 lead byte (as latin-1: Â..ô) followed by a continuation byte (as latin-1: U+0080..U+00BF).
const LOOKS_LIKE_MOJIBAKE = /[\u00c2-\u00f4][\u0080-\u00bf]/;

/** The value, with UTF-8-read-as-latin-1 undone where that is what happened. */
export function repairMojibake(value: string): string {
  if (!LOOKS_LIKE_MOJIBAKE.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  if (!/^[\u0000-\u00ff]*$/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const candidate = bytes.toString('utf8');
  // Valid UTF-8 decodes and re-encodes to the same bytes; invalid sequences would not.
  return Buffer.from(candidate, 'utf8').equals(bytes) ? candidate : value;
}
