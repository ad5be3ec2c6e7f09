/**
 * The truth of the world, written beside it: who every WHOIS object belongs to and what class its
 * range is, every deliberately malformed record (file and line), the natural persons the registers
 * hold (none of whom may reach the lake), sample addresses with their expected answers, and a sample
 * suppression list.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputFile, minimallyQuoted, type WrittenFile } from '../output-file.js';

/** The class of a range. */
export type RangeClass = 'business' | 'isp' | 'hosting' | 'mobile' | 'education' | 'government' | 'unknown';

/** Why an object links to what it links to (or to nothing). */
export type LinkReason =
  | 'registered'
  | 'gleif'
  | 'access-provider'
  | 'left-register'
  | 'not-for-publication'
  | 'marketing-opt-out'
  | 'natural-person'
  | 'no-register'
  | 'holder-hidden';

/** The truth of one WHOIS object. */
export interface ObjectTruth {
  source: string;
  file: string;
  line: number;
  objectClass: string;
  key: string;
  rangeClass: RangeClass | '';
  register: string;
  registerId: string;
  lei: string;
  reason: LinkReason;
  nameUsed: string;
  nameSource: string;
  noise: string;
}

const OBJECT_HEADER = 'source,file,line,object_class,key,range_class,register,register_id,lei,reason,name_used,name_source,noise\n';

/** Which half of the world a truth writer serves: the registers, or the networks (WHOIS and RIR files). */
export type TruthSide = 'registers' | 'networks';

/**
 * Writes the truth files as the world is generated. The two halves of the world are generated at
 * once (one in a worker thread), each with its own truth writer; `mergeTruth` joins their malformed
 * lists at the end, registers first, so the result does not depend on which half finished first.
 */
export class Truth {
  private constructor(
    private readonly side: TruthSide,
    private readonly malformedFile: OutputFile,
    private readonly objects?: OutputFile,
    private readonly persons?: OutputFile,
    private readonly samples?: OutputFile,
    private readonly suppression?: OutputFile,
  ) {}

  /** Opens one side's truth files in `<dir>/truth/`. */
  static async open(dir: string, side: TruthSide): Promise<Truth> {
    const at = async (name: string, header: string, gzip = false) => {
      const file = await OutputFile.open(join(dir, 'truth', name), { encoding: 'utf8', gzip });
      await file.write(header);
      return file;
    };
    const malformed = await at(`.malformed-${side}.csv`, '');
    if (side === 'registers') {
      return new Truth(side, malformed, undefined, await at('natural-persons.csv.gz', 'register,register_id,name\n', true));
    }
    return new Truth(
      side,
      malformed,
      await at('whois-objects.csv.gz', OBJECT_HEADER, true),
      undefined,
      await at('sample-addresses.csv', 'address,family,range_class,register,register_id,lei,source,object_key\n'),
      await at('suppression.csv', 'register,register_id,name\n'),
    );
  }

  /** Records one WHOIS object. */
  async object(t: ObjectTruth): Promise<void> {
    await this.need(this.objects, 'objects').write(
      `${[t.source, t.file, t.line, t.objectClass, t.key, t.rangeClass, t.register, t.registerId, t.lei, t.reason, t.nameUsed, t.nameSource, t.noise].map((v) => minimallyQuoted(String(v))).join(',')}\n`,
    );
  }

  /** Records one deliberately malformed record. */
  async malformed(source: string, file: string, line: number, record: string, reason: string): Promise<void> {
    await this.malformedFile.write(`${[source, file, line, record, reason].map((v) => minimallyQuoted(String(v))).join(',')}\n`);
  }

  /** Records a natural person a register holds. */
  async naturalPerson(register: string, registerId: string, name: string): Promise<void> {
    await this.need(this.persons, 'natural persons').write(`${[register, registerId, name].map((v) => minimallyQuoted(v)).join(',')}\n`);
  }

  /** Records an address and the answer the index must give for it. */
  async sampleAddress(row: {
    address: string;
    family: 4 | 6;
    rangeClass: RangeClass;
    register: string;
    registerId: string;
    lei: string;
    source: string;
    objectKey: string;
  }): Promise<void> {
    await this.need(this.samples, 'sample addresses').write(
      `${[row.address, row.family, row.rangeClass, row.register, row.registerId, row.lei, row.source, row.objectKey].map((v) => minimallyQuoted(String(v))).join(',')}\n`,
    );
  }

  /** Records an objection (GDPR Art. 21) for the sample suppression list. */
  async suppress(register: string, registerId: string, name: string): Promise<void> {
    await this.need(this.suppression, 'suppression').write(`${[register, registerId, name].map((v) => minimallyQuoted(v)).join(',')}\n`);
  }

  /** Closes this side's truth files (the malformed part is merged later, by mergeTruth). */
  async close(): Promise<WrittenFile[]> {
    await this.malformedFile.close();
    const files = [this.objects, this.persons, this.samples, this.suppression].filter((f): f is OutputFile => f !== undefined);
    return Promise.all(files.map((f) => f.close()));
  }

  private need(file: OutputFile | undefined, what: string): OutputFile {
    if (file === undefined) throw new Error(`the ${this.side} truth writer keeps no ${what}`);
    return file;
  }
}

/** Joins the two sides' malformed lists into truth/malformed.csv, registers first. */
export async function mergeTruth(dir: string): Promise<WrittenFile> {
  const out = await OutputFile.open(join(dir, 'truth', 'malformed.csv'), { encoding: 'utf8' });
  await out.write('source,file,line,record,reason\n');
  for (const side of ['registers', 'networks'] as const) {
    const part = join(dir, 'truth', `.malformed-${side}.csv`);
    await out.write(await readFile(part, 'utf8'));
    await rm(part);
  }
  return out.close();
}
