/**
 * RPSL objects as the registries dump them: an object is a run of non-blank lines, the first
 * attribute's name is its class; `name: value` lines, continuation lines starting with a space, a tab
 * or "+", `%` and `#` comment lines, end-of-line `#` comments. Only the classes and attributes asked
 * for are kept: objects of other classes (`person`, `role` …) are passed over without their values
 * being read, and contact attributes are never kept.
 */
import type { LineBatches } from './lines.js';
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

/**
 * The position of the colon ending an attribute name ([A-Za-z0-9_-]+ then ":"), or -1 when the line
 * is not an attribute. A character loop, not a regular expression: it runs for every line of a dump.
 */
function attributeColon(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) return i > 0 ? i : -1;
    const nameChar = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!nameChar) return -1;
  }
  return -1;
}

/** The attribute name before the colon, lower case. */
function attributeName(text: string, colon: number): string {
  const name = text.slice(0, colon);
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.toLowerCase();
  }
  return name;
}

/** Reads RPSL text line by line, one event at a time. */
export async function* readRpsl(lines: LineBatches, selection: RpslSelection): AsyncGenerator<RpslEvent> {
  for await (const events of readRpslBatches(lines, selection)) yield* events;
}

/** Reads RPSL text, yielding the events of each batch of lines together (one await per batch). */
export async function* readRpslBatches(lines: LineBatches, selection: RpslSelection): AsyncGenerator<RpslEvent[]> {
  const wanted = new Map(Object.entries(selection).map(([cls, attrs]) => [cls, new Set(attrs.filter((a) => !CONTACT_ATTRIBUTES.has(a)))]));
  let lineNumber = 0;
  let current: Building | undefined;
  let passing = false; // inside an object of a class nobody asked for
  for await (const batch of lines) {
    const events: RpslEvent[] = [];
    for (const raw of batch) {
      lineNumber++;
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const first = text.charCodeAt(0);
      if (text.length === 0 || ((first === 32 || first === 9) && text.trim() === '')) {
        if (current !== undefined) events.push(finish(current));
        current = undefined;
        passing = false;
        continue;
      }
      if (passing) continue;
      if (first === 37 /* % */ || first === 35 /* # */) continue;
      if (current === undefined) {
        const colon = attributeColon(text);
        const objectClass = colon < 0 ? undefined : attributeName(text, colon);
        if (objectClass === undefined) {
          current = { objectClass: '', key: '', line: lineNumber, attributes: new Map(), last: undefined, broken: 'object does not start with an attribute', keep: new Set() };
          continue;
        }
        const keep = wanted.get(objectClass);
        if (keep === undefined) {
          passing = true;
          continue;
        }
        const key = valueOf(text.slice(colon + 1));
        current = { objectClass, key, line: lineNumber, attributes: new Map([[objectClass, [key]]]), last: objectClass, broken: key === '' ? 'empty primary key' : undefined, keep };
        continue;
      }
      if (first === 32 /* space */ || first === 9 /* tab */ || first === 43 /* + */) {
        continueAttribute(current, first === 43 ? text.slice(1) : text);
        continue;
      }
      const colon = attributeColon(text);
      if (colon < 0) {
        current.broken ??= `line ${lineNumber} is neither an attribute nor a continuation`;
        current.last = undefined;
        continue;
      }
      const name = attributeName(text, colon);
      if (!current.keep.has(name)) {
        current.last = undefined;
        continue;
      }
      const values = current.attributes.get(name);
      const value = valueOf(text.slice(colon + 1));
      if (values === undefined) current.attributes.set(name, [value]);
      else values.push(value);
      current.last = name;
    }
    if (events.length > 0) yield events;
  }
  if (current !== undefined) yield [finish(current)];
}

interface Building extends RpslObject {
  /** The attribute continuation lines extend (undefined after a dropped attribute). */
  last: string | undefined;
  broken: string | undefined;
  keep: ReadonlySet<string>;
}

function continueAttribute(object: Building, text: string): void {
  if (object.last === undefined) return; // continuing an attribute that is not kept
  const values = object.attributes.get(object.last) as string[];
  const addition = valueOf(text);
  values[values.length - 1] = values[values.length - 1] === '' ? addition : `${values[values.length - 1]}\n${addition}`;
}

function finish(b: Building): RpslEvent {
  if (b.broken !== undefined) return { kind: 'skip', skip: { line: b.line, objectClass: b.objectClass, reason: b.broken } };
  return { kind: 'object', object: { objectClass: b.objectClass, key: b.key, line: b.line, attributes: b.attributes } };
}

/** A value without its end-of-line comment and surrounding blanks, mojibake repaired. */
function valueOf(raw: string): string {
  const hash = raw.indexOf('#');
  return repairMojibake((hash === -1 ? raw : raw.slice(0, hash)).trim());
}

/** The first value of an attribute, or "". */
export function firstValue(object: RpslObject, name: string): string {
  return object.attributes.get(name)?.[0] ?? '';
}
