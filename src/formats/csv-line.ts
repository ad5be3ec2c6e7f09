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
