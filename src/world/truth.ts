/**
 * The truth of the world, written beside it: who every WHOIS object belongs to and what class its
 * range is, every deliberately malformed record (file and line), the natural persons the registers
 * hold (none of whom may reach the lake), sample addresses with their expected answers, and a sample
 * suppression list.
 */
import { join } from 'node:path';
import { OutputFile, minimallyQuoted, type WrittenFile } from './output.js';

/** The class of a range. */
export type RangeClass = 'business' | 'isp' | 'hosting' | 'mobile' | 'education' | 'government' | 'unknown';

/** Why an object links to what it links to (or to nothing). */
export type LinkReason =
  | 'registered'
  | 'gleif'
  | 'access-provider'
  | 'left-register'
  | 'not-for-publication'
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

/** Writes the truth files as the world is generated. */
export class Truth {
  private constructor(
    private readonly objects: OutputFile,
    private readonly malformedFile: OutputFile,
    private readonly persons: OutputFile,
    private readonly samples: OutputFile,
    private readonly suppression: OutputFile,
  ) {}

  /** Opens the truth files in `<dir>/truth/`. */
  static async open(dir: string): Promise<Truth> {
    const at = (name: string, gzip = false) => OutputFile.open(join(dir, 'truth', name), { encoding: 'utf8', gzip });
    const truth = new Truth(
      await at('whois-objects.csv.gz', true),
      await at('malformed.csv'),
      await at('natural-persons.csv.gz', true),
      await at('sample-addresses.csv'),
      await at('suppression.csv'),
    );
    await truth.objects.write(OBJECT_HEADER);
    await truth.malformedFile.write('source,file,line,record,reason\n');
    await truth.persons.write('register,register_id,name\n');
    await truth.samples.write('address,family,range_class,register,register_id,lei,source,object_key\n');
    await truth.suppression.write('register,register_id,name\n');
    return truth;
  }

  /** Records one WHOIS object. */
  async object(t: ObjectTruth): Promise<void> {
    await this.objects.write(
      `${[t.source, t.file, t.line, t.objectClass, t.key, t.rangeClass, t.register, t.registerId, t.lei, t.reason, t.nameUsed, t.nameSource, t.noise].map((v) => minimallyQuoted(String(v))).join(',')}\n`,
    );
  }

  /** Records one deliberately malformed record. */
  async malformed(source: string, file: string, line: number, record: string, reason: string): Promise<void> {
    await this.malformedFile.write(`${[source, file, line, record, reason].map((v) => minimallyQuoted(String(v))).join(',')}\n`);
  }

  /** Records a natural person a register holds. */
  async naturalPerson(register: string, registerId: string, name: string): Promise<void> {
    await this.persons.write(`${[register, registerId, name].map((v) => minimallyQuoted(v)).join(',')}\n`);
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
    await this.samples.write(
      `${[row.address, row.family, row.rangeClass, row.register, row.registerId, row.lei, row.source, row.objectKey].map((v) => minimallyQuoted(String(v))).join(',')}\n`,
    );
  }

  /** Records an objection (GDPR Art. 21) for the sample suppression list. */
  async suppress(register: string, registerId: string, name: string): Promise<void> {
    await this.suppression.write(`${[register, registerId, name].map((v) => minimallyQuoted(v)).join(',')}\n`);
  }

  /** Closes every truth file. */
  async close(): Promise<WrittenFile[]> {
    return Promise.all([this.objects, this.malformedFile, this.persons, this.samples, this.suppression].map((f) => f.close()));
  }
}
