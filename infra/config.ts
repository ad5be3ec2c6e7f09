/**
 * The deployment's parameters, in one typed place: defaults here, each overridable with a CDK context
 * value (`cdk deploy -c ipreg:bucketName=acme-ipreg-lake -c ipreg:schedules=off`).
 */

export interface InfraConfig {
  /** The AWS account and region (unset account: the CLI's, at deploy time). */
  account: string | undefined;
  region: string;
  /** The lake bucket's name (unset: CloudFormation names it). */
  bucketName: string | undefined;
  /** Days a raw download is kept (raw/): the registers and RIR files as published. */
  rawDays: number;
  /** Days an index build is kept once written (index/builds/): enough for a rollback. */
  buildDays: number;
  /** Days a replaced or deleted object's old version is kept: the backup window a deletion request is held to. */
  noncurrentDays: number;
  /** Days access logs and Athena results are kept. */
  logDays: number;
  /** Days the pipelines' and resolvers' log groups keep their lines. */
  logRetentionDays: number;
  /** Whether the pipelines run on their schedules (off: the schedules exist, disabled). */
  schedules: boolean;
  /** The pipelines whose schedules are enabled (nightly runs all the others in one run). */
  scheduled: readonly string[];
  /** The image tag the tasks run (pushed to the stack's ECR repository; tags are immutable). */
  imageTag: string;
  /** Where alarms are e-mailed (unset: the topic only). */
  alarmEmail: string | undefined;
  /** Most bytes one Athena query of the workgroup may scan. */
  athenaBytesScannedCutoff: number;
  /** A pipeline task's size; its disk holds DuckDB's spill and the staged files (the full world needs about 20 GB). */
  pipeline: { cpu: number; memoryMiB: number; ephemeralGiB: number };
  resolver: {
    cpu: number;
    memoryMiB: number;
    minTasks: number;
    maxTasks: number;
    /** Requests per task per minute before another task starts. */
    requestsPerTarget: number;
    /** ACM certificate of the resolver's HTTPS listener (unset: made for domainName, which is then required). */
    certificateArn: string | undefined;
    domainName: string | undefined;
  };
}

export const DEFAULT_CONFIG: InfraConfig = {
  account: undefined,
  region: 'eu-west-1',
  bucketName: undefined,
  rawDays: 90,
  buildDays: 30,
  noncurrentDays: 30,
  logDays: 90,
  logRetentionDays: 30,
  schedules: true,
  scheduled: ['nightly'],
  imageTag: '0.1.0',
  alarmEmail: undefined,
  athenaBytesScannedCutoff: 100 * 1024 ** 3,
  pipeline: { cpu: 2048, memoryMiB: 8192, ephemeralGiB: 100 },
  resolver: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 6, requestsPerTarget: 60_000, certificateArn: undefined, domainName: 'resolver.example.com' },
};

/** A context value read as the type of its default; a bad one fails the synth naming it. */
function typed(key: string, raw: unknown, fallback: unknown): unknown {
  if (raw === undefined) return fallback;
  const text = String(raw);
  if (typeof fallback === 'number') {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`context ipreg:${key} is "${text}": expected a positive number`);
    return n;
  }
  if (typeof fallback === 'boolean') {
    if (!['on', 'off', 'true', 'false'].includes(text)) throw new Error(`context ipreg:${key} is "${text}": expected on or off`);
    return text === 'on' || text === 'true';
  }
  return text;
}

/** The configuration with the context values (`ipreg:<key>`, `ipreg:resolver.<key>`) over the defaults. */
export function configFrom(context: (key: string) => unknown, base: InfraConfig = DEFAULT_CONFIG): InfraConfig {
  const top = Object.fromEntries(
    Object.entries(base)
      .filter(([, v]) => (typeof v !== 'object' || v === undefined) && !Array.isArray(v))
      .map(([k, v]) => [k, typed(k, context(`ipreg:${k}`), v)]),
  );
  const nested = (name: 'pipeline' | 'resolver') =>
    Object.fromEntries(Object.entries(base[name]).map(([k, v]) => [k, typed(`${name}.${k}`, context(`ipreg:${name}.${k}`), v)]));
  const scheduled = context('ipreg:scheduled');
  return {
    ...base,
    ...top,
    scheduled: scheduled === undefined ? base.scheduled : String(scheduled).split(',').map((s) => s.trim()).filter((s) => s !== ''),
    pipeline: nested('pipeline'),
    resolver: nested('resolver'),
  } as InfraConfig;
}
