/**
 * RPSL text as the registries' dumps write it: attribute names padded to column 16 (with the odd
 * unpadded one), continuation lines, end-of-line comments, and RIPE's dummification trailer.
 */

/** One attribute line of an object; `continuation` lines follow it as RPSL continuation lines. */
export interface Attribute {
  name: string;
  value: string;
  continuation?: readonly string[];
  /** Write `name:value` with no padding (as `assignment-size:48` is in real dumps). */
  unpadded?: boolean;
}

/** The seven remarks lines RIPE's dummifier appends after `source:` of every object in a dump. */
export const RIPE_DUMMY_TRAILER: readonly Attribute[] = [
  '****************************',
  '* THIS OBJECT IS MODIFIED',
  '* Please note that all data that is generally regarded as personal',
  '* data has been removed from this object.',
  '* To view the original object, please query the RIPE Database at:',
  '* http://www.ripe.net/whois',
  '****************************',
].map((value) => ({ name: 'remarks', value }));

/** The dummifier's trailer as text. */
export const RIPE_DUMMY_TRAILER_TEXT = RIPE_DUMMY_TRAILER.map((a) => `${'remarks:'.padEnd(16)}${a.value}\n`).join('');

/** The header of RIPE's split dump files (the trailing space after "subject to" is the official writer's). */
export const RIPE_DUMP_HEADER = [
  '#',
  '# The contents of this file are subject to ',
  '# RIPE Database Terms and Conditions',
  '#',
  '# https://docs.db.ripe.net/terms-conditions.html',
  '#',
  '',
].join('\n');

/** Continuation styles seen in real objects: a space-indented, a tab-indented and a "+" line. */
export type ContinuationStyle = 'space' | 'tab' | 'plus';

const PADDED = new Map<string, string>();

function padded(name: string): string {
  let p = PADDED.get(name);
  if (p === undefined) PADDED.set(name, (p = `${name}:`.padEnd(16)));
  return p;
}

/** The text of one object, ending with a blank line; letters outside latin-1 are folded (see latin1Safe). */
export function objectText(attributes: readonly Attribute[], style: ContinuationStyle = 'space', trailer = ''): string {
  let text = '';
  for (const a of attributes) {
    text += a.unpadded === true ? `${a.name}:${a.value}\n` : `${padded(a.name)}${a.value}\n`;
    if (a.continuation === undefined) continue;
    for (const line of a.continuation) {
      if (line === '') text += '+\n';
      else text += style === 'tab' ? `\t${line}\n` : style === 'plus' ? `+               ${line}\n` : `                ${line}\n`;
    }
  }
  return `${latin1Safe(text)}${trailer}\n`;
}

/** Text that survives latin-1: letters outside it lose their accents or become "?". */
export function latin1Safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u00ff]*$/.test(text)) return text;
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/[^\u0000-\u00ff]/g, '?')
  );
}
