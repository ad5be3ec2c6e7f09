/**
 * RPSL objects as the registries dump them: an object is a run of non-blank lines, the first
 * attribute's name is its class; `name: value` lines, continuation lines starting with a space, a tab
 * or "+", `%` and `#` comment lines, end-of-line `#` comments. Only the classes and attributes asked
 * for are kept: objects of other classes (`person`, `role` …) are passed over without their values
 * being read, and contact attributes are never kept.
 */
import type { TextChunks } from './lines.js';
import { IpregError } from '../errors.js';
import { repairMojibake } from './mojibake.js';

/** One object: its class, primary key, the line it starts on, and the attributes asked for. */
export interface RpslObject {
  objectClass: string;
  key: string;
  line: number;
  /** Values per attribute name, in file order; continuation lines are joined with "\n". */
  attributes: Map<string, string[]>;
}

/** An object that was skipped: where, and why (never its contents: WHOIS text may name people). */
export interface RpslSkip {
  line: number;
  objectClass: string;
  reason: string;
}

/** What reading RPSL yields, in file order. */
export type RpslEvent = { kind: 'object'; object: RpslObject } | { kind: 'skip'; skip: RpslSkip };

/** The classes to keep, each with the attributes to keep (the class attribute itself is always kept). */
export type RpslSelection = Readonly<Record<string, readonly string[]>>;

/** Attributes that hold or point at personal data: never kept, whatever a selection says. */
export const CONTACT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'admin-c', 'tech-c', 'zone-c', 'abuse-c', 'author', 'ping-hdl', 'person', 'role', 'address', 'phone', 'fax-no',
  'e-mail', 'abuse-mailbox', 'notify', 'upd-to', 'mnt-nfy', 'irt-nfy', 'changed', 'auth', 'nic-hdl',
]);

/** Set by attributeColon: whether the name it scanned has an upper-case letter. */
let nameHasUpper = false;

/**
 * The position of the colon ending an attribute name ([A-Za-z0-9_-]+ then ":") in text[from, to), or
 * -1 when the line is not an attribute. A character loop, not a regular expression: it runs for every
 * line of a dump.
 */
function attributeColon(text: string, from: number, to: number): number {
  nameHasUpper = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) return i > from ? i : -1;
    if (c >= 65 && c <= 90) nameHasUpper = true;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return -1;
  }
  return -1;
}

/** The attribute name in text[from, colon), lower case. */
function attributeName(text: string, from: number, colon: number): string {
  const name = text.slice(from, colon);
  return nameHasUpper ? name.toLowerCase() : name;
}

/** Whether text[from, to) holds only blanks. */
function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBlankChar(text.charCodeAt(i))) return false;
  return true;
}

/** The attributes kept for one class, by name length and first letter: a line's name is compared without slicing it. */
class Kept {
  private readonly byLength: (string[] | undefined)[] = [];

  constructor(readonly names: ReadonlySet<string>) {
    for (const name of names) (this.byLength[name.length] ??= []).push(name);
  }

  /** The kept name text[from, colon) is (lower-cased), or undefined when it is not kept. */
  match(text: string, from: number, colon: number): string | undefined {
    const candidates = this.byLength[colon - from];
    if (candidates === undefined) return undefined;
    if (nameHasUpper) {
      const name = text.slice(from, colon).toLowerCase();
      return this.names.has(name) ? name : undefined;
    }
    const first = text.charCodeAt(from);
    for (const name of candidates) if (name.charCodeAt(0) === first && text.startsWith(name, from)) return name;
    return undefined;
  }
}

/** Reads RPSL text, one event at a time. */
export async function* readRpsl(chunks: TextChunks, selection: RpslSelection): AsyncGenerator<RpslEvent> {
  const scanner = new RpslScanner(selection);
  for await (const chunk of chunks) {
    const events: RpslEvent[] = [];
    scanner.push(chunk, (e) => events.push(e));
    yield* events;
  }
  const last: RpslEvent[] = [];
  scanner.end((e) => last.push(e));
  yield* last;
}

/**
 * Reads RPSL text pushed to it chunk by chunk (each ending on a line break), calling `emit` as each
 * object ends, so a caller turns it into a row before the next is read and nothing piles up. It walks
 * each chunk by line breaks and slices out only what it keeps: a line of a class or attribute nobody
 * asked for is never made into a string.
 */
export class RpslScanner {
  private readonly wanted: Map<string, Kept>;
  private lineNumber = 0;
  private current: Building | undefined;
  private passing = false; // inside an object of a class nobody asked for

  /** `firstLine` is the line number of the text's first line (a block cut from the middle of a file). */
  constructor(selection: RpslSelection, firstLine = 1) {
    this.lineNumber = firstLine - 1;
    this.wanted = new Map(Object.entries(selection).map(([cls, attrs]) => [cls, new Kept(new Set(attrs.filter((a) => !CONTACT_ATTRIBUTES.has(a))))]));
  }

  /** Scans one chunk; objects that end in it are emitted, one still open waits for the next chunk. */
  push(text: string, emit: (event: RpslEvent) => void): void {
    const length = text.length;
    let current = this.current;
    let passing = this.passing;
    let lineNumber = this.lineNumber;
    let next = 0;
    while (next < length) {
      const start = next;
      let end = text.indexOf('\n', start);
      if (end === -1) end = length;
      next = end + 1;
      if (end > start && text.charCodeAt(end - 1) === 13 /* \r */) end--;
      lineNumber++;
      const first = end > start ? text.charCodeAt(start) : -1;
      if (first === -1 || ((first === 32 || first === 9) && isBlank(text, start, end))) {
        if (current !== undefined) emit(finish(current));
        current = undefined;
        passing = false;
        continue;
      }
      if (passing) continue;
      if (first === 37 /* % */ || first === 35 /* # */) continue;
      if (current === undefined) {
        const colon = attributeColon(text, start, end);
        if (colon < 0) {
          current = { objectClass: '', key: '', line: lineNumber, attributes: new Map(), last: undefined, broken: 'object does not start with an attribute', kept: undefined };
          continue;
        }
        const objectClass = attributeName(text, start, colon);
        const kept = this.wanted.get(objectClass);
        if (kept === undefined) {
          passing = true;
          continue;
        }
        const key = valueOf(text, colon + 1, end);
        current = { objectClass, key, line: lineNumber, attributes: new Map([[objectClass, [key]]]), last: objectClass, broken: key === '' ? 'empty primary key' : undefined, kept };
        continue;
      }
      if (first === 32 /* space */ || first === 9 /* tab */ || first === 43 /* + */) {
        continueAttribute(current, valueOf(text, first === 43 ? start + 1 : start, end));
        continue;
      }
      const colon = attributeColon(text, start, end);
      if (colon < 0) {
        current.broken ??= `line ${lineNumber} is neither an attribute nor a continuation`;
        current.last = undefined;
        continue;
      }
      const name = current.kept?.match(text, start, colon);
      if (name === undefined) {
        current.last = undefined;
        continue;
      }
      const values = current.attributes.get(name);
      const value = valueOf(text, colon + 1, end);
      if (values === undefined) current.attributes.set(name, [value]);
      else values.push(value);
      current.last = name;
    }
    this.current = current;
    this.passing = passing;
    this.lineNumber = lineNumber;
  }

  /** Ends the text: an object still open (no blank line after it) is emitted. */
  end(emit: (event: RpslEvent) => void): void {
    if (this.current !== undefined) emit(finish(this.current));
    this.current = undefined;
    this.passing = false;
  }
}

interface Building extends RpslObject {
  /** The attribute continuation lines extend (undefined after a dropped attribute). */
  last: string | undefined;
  broken: string | undefined;
  /** The attributes kept for this object's class (undefined for a broken object). */
  kept: Kept | undefined;
}

function continueAttribute(object: Building, addition: string): void {
  if (object.last === undefined) return; // continuing an attribute that is not kept
  const values = object.attributes.get(object.last) as string[];
  values[values.length - 1] = values[values.length - 1] === '' ? addition : `${values[values.length - 1]}\n${addition}`;
}

function finish(b: Building): RpslEvent {
  if (b.broken !== undefined) return { kind: 'skip', skip: { line: b.line, objectClass: b.objectClass, reason: b.broken } };
  return { kind: 'object', object: { objectClass: b.objectClass, key: b.key, line: b.line, attributes: b.attributes } };
}

/** The value in text[from, to): without its end-of-line comment and surrounding blanks, mojibake repaired. */
function valueOf(text: string, from: number, to: number): string {
  if (from === to) return '';
  let value = text.slice(from, to);
  const hash = value.indexOf('#');
  if (hash !== -1) value = value.slice(0, hash);
  value = value.trim();
  return repairMojibake(value);
}

/** The blanks String.prototype.trim removes that latin-1 text can hold. */
function isBlankChar(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 160;
}

/** A block of objects longer than this has no blank line in it: not an RPSL dump, or a broken one. */
const MAX_BLOCK_BYTES = 64 << 20;

/**
 * The bytes of RPSL text cut into blocks of about `size` bytes that end on a blank line (so every
 * object lies whole in one block), each with the number of its first line: blocks can be read
 * independently, in any order, by other threads.
 */
export async function* rpslBlocks(bytes: AsyncIterable<Buffer>, size: number): AsyncGenerator<{ bytes: Buffer; firstLine: number }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let firstLine = 1;
  const cut = (block: Buffer) => {
    const result = { bytes: block, firstLine };
    firstLine += countLineBreaks(block);
    return result;
  };
  for await (const piece of bytes) {
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes < size) continue;
    const text = pending.length === 1 ? piece : Buffer.concat(pending, pendingBytes);
    const lf = text.lastIndexOf('\n\n');
    const crlf = text.lastIndexOf('\n\r\n');
    const end = Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 3);
    if (end === 0) {
      if (pendingBytes > MAX_BLOCK_BYTES) throw new IpregError('FORMAT_CHANGED', `no blank line in ${MAX_BLOCK_BYTES >> 20} MiB of text from line ${firstLine}: not RPSL, or a broken dump`);
      pending = [text];
      continue;
    }
    yield cut(text.subarray(0, end));
    pending = end < text.length ? [text.subarray(end)] : [];
    pendingBytes = text.length - end;
  }
  if (pendingBytes > 0) yield cut(pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes));
}

/** Line breaks in a buffer. */
function countLineBreaks(bytes: Buffer): number {
  let n = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) n++;
  return n;
}

/** The first value of an attribute, or "". */
export function firstValue(object: RpslObject, name: string): string {
  return object.attributes.get(name)?.[0] ?? '';
}
