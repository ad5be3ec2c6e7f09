/** The deployment, synthesized offline and held to what the issue asks of each part. */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PIPELINES } from '../pipelines/index.js';
import { projectionOf, TABLES } from '../schemas/athena.js';
import { lakePartitionValues } from '../pipelines/partition-values.js';
import { RUNS } from '../schemas/run-tables.js';
import { athenaType } from '../src/lake/table-schema.js';
import { configFrom, DEFAULT_CONFIG, type InfraConfig } from './config.js';
import { schedulerCron } from './schedules.js';
import { FEATURE_FLAGS, ImagesStack, IpregStack } from './stack.js';
import { useTempDir } from '../test/support/temp-dir.js';

const tempDir = useTempDir('infra');
let apps = 0;

/** An app synthesizing into the tests' temporary folder (CDK's default is a new folder in /tmp, left behind). */
function newApp(): App {
  return new App({ outdir: join(tempDir(), `cdk.out-${apps++}`), context: FEATURE_FLAGS });
}

function synth(config: InfraConfig = DEFAULT_CONFIG): Template {
  const app = newApp();
  const images = new ImagesStack(app, 'IpregImages', config);
  return Template.fromStack(new IpregStack(app, 'Ipreg', config, images.repository));
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

/** Every policy statement of the template, with where it is. */
function statements(resources: Resources): { where: string; type: string; statement: Statement }[] {
  const out: { where: string; type: string; statement: Statement }[] = [];
  for (const [id, r] of Object.entries(resources)) {
    const documents = [r.Properties['PolicyDocument'], r.Properties['KeyPolicy'], ...((r.Properties['Policies'] as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument)];
    for (const doc of documents) for (const statement of ((doc as { Statement?: Statement[] } | undefined)?.Statement ?? [])) out.push({ where: id, type: r.Type, statement });
  }
  return out;
}

/** A Glue table's input as the template has it. */
interface GlueTableInput {
  Name: string;
  Parameters: Record<string, string>;
  PartitionKeys: { Name: string }[];
  StorageDescriptor: { Columns: { Name: string; Type: string }[]; SerdeInfo: { SerializationLibrary: string } };
}

/** Actions that apply to no resource: IAM accepts only "*" for them. */
const NO_RESOURCE_ACTIONS = ['ecr:GetAuthorizationToken'];

const asList = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

describe('the deployment (infra/)', () => {
  let template: Template;
  let resources: Resources;
  beforeAll(() => {
    template = synth();
    resources = template.toJSON().Resources as Resources;
  });
  const lakeBucket = () => Object.values(resources).find((r) => r.Type === 'AWS::S3::Bucket' && r.Properties['VersioningConfiguration'] !== undefined) as Resources[string];

  it('keeps the lake in a KMS-encrypted, versioned bucket with no public access and access logs', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const lake = lakeBucket();
    expect(lake.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() }, BucketKeyEnabled: true }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: 'lake/' },
    });
    // Every bucket blocks public access.
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::S3::Bucket')) expect(r.Properties['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  });

  it('refuses every request to every bucket that is not over TLS', () => {
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(Object.values(resources).filter((r) => r.Type === 'AWS::S3::Bucket').length);
    for (const p of policies) {
      expect((p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('expires raw downloads and old builds after the configured days, and keeps replaced versions 30 days', () => {
    const rules = (lakeBucket().Properties['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Id: 'raw', Prefix: 'raw/', ExpirationInDays: DEFAULT_CONFIG.rawDays, Status: 'Enabled' }));
    expect(rules).toContainEqual(expect.objectContaining({ Id: 'builds', Prefix: 'index/builds/', ExpirationInDays: DEFAULT_CONFIG.buildDays, Status: 'Enabled' }));
    expect(rules).toContainEqual(expect.objectContaining({ Id: 'noncurrent', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }));
    // The days come from the one typed config, overridable with context.
    const shorter = configFrom((k) => ({ 'ipreg:rawDays': '14', 'ipreg:resolver.maxTasks': '3' })[k]);
    expect(shorter).toMatchObject({ rawDays: 14, buildDays: DEFAULT_CONFIG.buildDays, resolver: { maxTasks: 3 } });
    const rules14 = (Object.values(synth(shorter).toJSON().Resources as Resources).find((r) => r.Type === 'AWS::S3::Bucket' && r.Properties['VersioningConfiguration'] !== undefined)?.Properties['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules14).toContainEqual(expect.objectContaining({ Id: 'raw', ExpirationInDays: 14 }));
    expect(() => configFrom((k) => (k === 'ipreg:rawDays' ? 'soon' : undefined))).toThrow('context ipreg:rawDays is "soon": expected a positive number');
  });

  it('gives Athena a workgroup whose encrypted result location and scan limit are enforced', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: DEFAULT_CONFIG.athenaBytesScannedCutoff,
        ResultConfiguration: { OutputLocation: Match.anyValue(), EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() } },
      },
    });
  });

  it('makes every Glue table from the schemas/ definitions: its columns, partitions and projection', () => {
    const tables = Object.values(resources).filter((r) => r.Type === 'AWS::Glue::Table');
    expect(tables.map((t) => (t.Properties['TableInput'] as { Name: string }).Name).sort()).toEqual([...TABLES.map((t) => t.name), RUNS.name].sort());
    for (const table of TABLES) {
      const input = tables.map((t) => t.Properties['TableInput'] as GlueTableInput).find((t) => t.Name === table.name) as GlueTableInput;
      expect(input.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(table.columns.map((c) => [c.name, athenaType(c.type)]));
      expect(input.PartitionKeys.map((c) => c.Name)).toEqual(table.partitions.map((p) => p.name));
      for (const [k, v] of Object.entries(projectionOf(table, lakePartitionValues()))) expect(input.Parameters[`projection.${k}`], `${table.name} projection.${k}`).toBe(v);
      expect(input.Parameters['projection.enabled']).toBe('true');
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    }
    const runs = tables.map((t) => t.Properties['TableInput'] as GlueTableInput).find((t) => t.Name === RUNS.name) as GlueTableInput;
    expect(runs.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(RUNS.columns.map((c) => [c.name, c.athena]));
    expect(runs.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
  });

  /** The statements of the policies whose logical id starts with `prefix`. */
  const policy = (prefix: string): Statement[] =>
    Object.entries(resources)
      .filter(([id, r]) => id.startsWith(prefix) && (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy'))
      .flatMap(([, r]) => (r.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
  const actionsOf = (statements: Statement[]) => statements.flatMap((st) => asList(st.Action));

  it('schedules every pipeline at the cron and time zone it declares, only nightly switched on', () => {
    const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(PIPELINES.length);
    for (const p of PIPELINES) {
      const s = schedules.find((x) => x.Properties['Name'] === `ipreg-${p.name}`)?.Properties as Record<string, unknown>;
      expect(s, p.name).toMatchObject({ ScheduleExpression: schedulerCron(p.schedule.cron), ScheduleExpressionTimezone: p.schedule.timeZone, State: p.name === 'nightly' ? 'ENABLED' : 'DISABLED' });
      const input = JSON.parse((s['Target'] as { Input: string }).Input) as { containerOverrides: { command: string[] }[] };
      expect(input.containerOverrides[0]?.command.slice(0, 2)).toEqual(['run', p.name]);
    }
    const off = Object.values(synth(configFrom((k) => (k === 'ipreg:schedules' ? 'off' : undefined))).toJSON().Resources as Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(off.map((r) => r.Properties['State'])).toEqual(PIPELINES.map(() => 'DISABLED'));
  });

  it('alarms on a failed run and on a day without a successful one', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ ($.msg = "run finished") && ($.outcome = "failed") }', MetricTransformations: [Match.objectLike({ MetricName: 'FailedRuns', MetricNamespace: 'ipreg' })] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FailedRuns', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, AlarmActions: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'SucceededRuns', ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::Logs::LogGroup')) expect(r.Properties['RetentionInDays']).toBe(DEFAULT_CONFIG.logRetentionDays);
  });

  it('serves the resolvers over HTTPS only, healthy on /readyz, scaled on CPU and requests', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', Certificates: [Match.anyValue()] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }) })] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/readyz' });
    const metrics = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy')
      .map((r) => (r.Properties['TargetTrackingScalingPolicyConfiguration'] as { PredefinedMetricSpecification: { PredefinedMetricType: string } }).PredefinedMetricSpecification.PredefinedMetricType);
    expect(metrics.sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: DEFAULT_CONFIG.resolver.minTasks, MaxCapacity: DEFAULT_CONFIG.resolver.maxTasks });
  });

  it('lets the resolvers read index/ and nothing else, the pipelines write the lake, analysts read tables/ and runs/', () => {
    const resolver = policy('ComputeResolverTaskDefTaskRole');
    expect(actionsOf(resolver).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 's3:GetObject', 's3:ListBucket']);
    expect(JSON.stringify(resolver.find((st) => st.Action === 's3:GetObject')?.Resource)).toMatch(/"\/index\/\*"\]/);
    expect(resolver.find((st) => st.Action === 's3:ListBucket')?.Condition).toEqual({ StringLike: { 's3:prefix': ['index/*'] } });
    expect(actionsOf(policy('ComputePipelineTaskTaskRole'))).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 'kms:GenerateDataKey*']));
    const analysts = policy('ComputeAnalysts');
    expect(actionsOf(analysts)).not.toContain('s3:DeleteObject');
    expect(analysts.find((st) => st.Action === 's3:ListBucket' && st.Condition !== undefined)?.Condition).toEqual({ StringLike: { 's3:prefix': ['tables/*', 'runs/*'] } });
    // The analysts write only Athena's results, never the lake.
    const writes = analysts.filter((st) => asList(st.Action).includes('s3:PutObject'));
    expect(JSON.stringify(writes)).toContain('AthenaResults');
    expect(JSON.stringify(writes)).not.toContain('LakeBucket');
  });

  it('keeps the image in a repository of its own stack, tags immutable, scanned on push', () => {
    const app = newApp();
    Template.fromStack(new ImagesStack(app, 'IpregImages', DEFAULT_CONFIG)).hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'ipreg', ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true } });
  });

  it('builds one image from a multi-stage Dockerfile that runs as a non-root user with the runtime dependencies only', async () => {
    const dockerfile = await readFile(new URL('../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/src\/cli\/main.js"\]$/m);
  });

  it('grants no action "*" or service "*" anywhere, and no resource "*" outside a key\'s own policy', () => {
    const all = statements(resources);
    expect(all.length).toBeGreaterThan(0);
    for (const { where, type, statement } of all.filter((s) => s.statement.Effect === 'Allow')) {
      for (const action of asList(statement.Action)) expect(action === '*' || /^[a-z0-9-]+:\*$/.test(action), `${where}: ${action}`).toBe(false);
      // A key policy's "*" is the key itself; some actions name no resource at all (IAM requires "*" for them).
      if (type !== 'AWS::KMS::Key' && !asList(statement.Action).every((a) => NO_RESOURCE_ACTIONS.includes(a))) expect(asList(statement.Resource), `${where}: ${asList(statement.Action).join(', ')}`).not.toContain('*');
    }
  });
});
