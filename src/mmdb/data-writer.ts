/**
 * The MMDB data section encoder (MaxMind DB format 2.0, "Output Data Section"): a control byte with
 * the type in its top three bits and the size in the low five (extended types in a second byte,
 * larger sizes in one to three more), big-endian payloads. A string written before becomes a pointer
 * to its first copy wherever that is shorter.
 */

/** A value to encode: text, a double, a typed integer, a boolean, an array or a map. */
export type MmdbValue =
  | string
  | number
  | boolean
  | { uint16: number }
  | { uint32: number }
  | { uint64: bigint }
  | readonly MmdbValue[]
  | { [key: string]: MmdbValue };

const TYPE = { pointer: 1, string: 2, double: 3, uint16: 5, uint32: 6, map: 7, uint64: 9, array: 11, boolean: 14 } as const;

/** Appends values to a growing data section; returns each value's offset. */
export class DataWriter {
  #buffer = new Uint8Array(1 << 16);
  #length = 0;
  readonly #strings = new Map<string, number>();
  readonly #encoder = new TextEncoder();

  /** Writes `value`; returns its offset in the section. */
  write(value: unknown): number {
    const offset = this.#length;
    this.#value(value as MmdbValue);
    return offset;
  }

  /** The section written so far. */
  bytes(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  #value(value: MmdbValue): void {
    if (typeof value === 'string') return this.#string(value);
    if (typeof value === 'number') return this.#double(value);
    if (typeof value === 'boolean') return this.#control(TYPE.boolean, value ? 1 : 0);
    if (Array.isArray(value)) {
      this.#control(TYPE.array, value.length);
      for (const item of value as readonly MmdbValue[]) this.#value(item);
      return;
    }
    const v = value as Record<string, MmdbValue>;
    if ('uint16' in v && typeof v['uint16'] === 'number') return this.#unsigned(TYPE.uint16, BigInt(v['uint16']));
    if ('uint32' in v && typeof v['uint32'] === 'number') return this.#unsigned(TYPE.uint32, BigInt(v['uint32']));
    if ('uint64' in v && typeof v['uint64'] === 'bigint') return this.#unsigned(TYPE.uint64, v['uint64']);
    const entries = Object.entries(v);
    this.#control(TYPE.map, entries.length);
    for (const [key, item] of entries) {
      this.#string(key);
      this.#value(item);
    }
  }

  #string(text: string): void {
    const bytes = this.#encoder.encode(text);
    const earlier = this.#strings.get(text);
    if (earlier !== undefined && pointerSize(earlier) < bytes.byteLength + sizeBytes(bytes.byteLength) + 1) return this.#pointer(earlier);
    if (earlier === undefined) this.#strings.set(text, this.#length);
    this.#control(TYPE.string, bytes.byteLength);
    this.#append(bytes);
  }

  #double(value: number): void {
    this.#control(TYPE.double, 8);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value);
    this.#append(bytes);
  }

  #unsigned(type: number, value: bigint): void {
    const bytes: number[] = [];
    for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
    this.#control(type, bytes.length);
    this.#append(Uint8Array.from(bytes));
  }

  /** A pointer (type 1): its size class in bits 3–4 of the control byte, then 1 to 4 bytes. */
  #pointer(offset: number): void {
    if (offset < 2048) return this.#append(Uint8Array.from([0x20 | (offset >>> 8), offset & 0xff]));
    if (offset < 526336) {
      const v = offset - 2048;
      return this.#append(Uint8Array.from([0x28 | (v >>> 16), (v >>> 8) & 0xff, v & 0xff]));
    }
    if (offset < 134744064) {
      const v = offset - 526336;
      return this.#append(Uint8Array.from([0x30 | (v >>> 24), (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]));
    }
    this.#append(Uint8Array.from([0x38, offset >>> 24, (offset >>> 16) & 0xff, (offset >>> 8) & 0xff, offset & 0xff]));
  }

  /** The control byte (and extended-type byte, and size bytes) of a value of `type` and `size`. */
  #control(type: number, size: number): void {
    const head: number[] = [];
    const sizeField = size < 29 ? size : size < 285 ? 29 : size < 65821 ? 30 : 31;
    head.push(((type <= 7 ? type : 0) << 5) | sizeField);
    if (type > 7) head.push(type - 7);
    if (sizeField === 29) head.push(size - 29);
    else if (sizeField === 30) head.push((size - 285) >>> 8, (size - 285) & 0xff);
    else if (sizeField === 31) head.push((size - 65821) >>> 16, ((size - 65821) >>> 8) & 0xff, (size - 65821) & 0xff);
    this.#append(Uint8Array.from(head));
  }

  #append(bytes: Uint8Array): void {
    if (this.#length + bytes.byteLength > this.#buffer.byteLength) {
      const grown = new Uint8Array(Math.max(this.#buffer.byteLength * 2, this.#length + bytes.byteLength));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.byteLength;
  }
}

/** Bytes a pointer to `offset` takes. */
function pointerSize(offset: number): number {
  return offset < 2048 ? 2 : offset < 526336 ? 3 : offset < 134744064 ? 4 : 5;
}

/** Extra size bytes after the control byte for a payload of `size`. */
function sizeBytes(size: number): number {
  return size < 29 ? 0 : size < 285 ? 1 : size < 65821 ? 2 : 3;
}
