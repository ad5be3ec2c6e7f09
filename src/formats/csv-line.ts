import { IpregError } from '../errors.js';

/**
 * One CSV line split into its fields, RFC 4180 quoting (a field in double quotes may hold the
 * delimiter; a doubled quote inside is one quote). Lines only: a quoted field may not hold a line
 * break. Fields are returned as written, not trimmed. Throws when a quoted field is not closed.
 */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  fields.push(current);
  return fields;
}

/**
 * The rows of a small CSV file kept by hand (a list in the lake, a data file beside the code): the
 * first line must be `header`, each later non-blank line has as many fields (trimmed), each with its
 * line number. A bad line fails naming the file, the line and what is wrong with it.
 */
export function csvRows(text: string, file: string, header: readonly string[]): { line: number; fields: string[] }[] {
  const lines = text.split(/\r?\n/);
  const expected = header.join(',');
  if ((lines[0] ?? '').trim() !== expected) throw new IpregError('CONFIG_INVALID', `${file} line 1: the header is "${lines[0] ?? ''}", not "${expected}"`, { file, line: 1 });
  const rows: { line: number; fields: string[] }[] = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') continue;
    let fields: string[];
    try {
      fields = splitCsvLine(line).map((f) => f.trim());
    } catch (err) {
      throw new IpregError('CONFIG_INVALID', `${file} line ${i + 1}: ${(err as Error).message}`, { file, line: i + 1 });
    }
    if (fields.length !== header.length) throw new IpregError('CONFIG_INVALID', `${file} line ${i + 1}: ${fields.length} fields, not ${header.length} (${expected})`, { file, line: i + 1 });
    rows.push({ line: i + 1, fields });
  }
  return rows;
}
