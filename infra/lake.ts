/**
 * The lake and its analytics: the lake bucket (KMS, versioned, TLS only, no public access, lifecycle,
 * access logs), the Glue database with every table made from the same definitions as schemas/ (and
 * the same partition projection), and an Athena workgroup whose encrypted result location and
 * per-query scan limit are enforced.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { projectionOf, TABLES, tableLocation } from '../schemas/athena.js';
import { lakePartitionValues } from '../pipelines/partition-values.js';
import { jsonSerdeParameters, jsonTableLocation, jsonTableProperties, RUNS } from '../schemas/run-tables.js';
import { BUILDS_PREFIX, LAKE_PREFIXES } from '../src/lake/paths.js';
import { athenaTableProperties, athenaType } from '../src/lake/table-schema.js';
import type { InfraConfig } from './config.js';

/** The Glue database the tables are in (the same name `ipreg athena` uses by default). */
export const DATABASE = 'ipreg';
export const WORKGROUP = 'ipreg';

/** What administering a key takes (a key policy's resource "*" is the key itself). */
const KEY_ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];
/** What using it for S3 and Athena takes, granted to roles by their IAM policies. */
export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

const JSON_LINES = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
};

export class Lake extends Construct {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly results: s3.Bucket;
  readonly workgroup: athena.CfnWorkGroup;
  readonly database: glue.CfnDatabase;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    const days = (n: number) => Duration.days(n);
    // The account administers the key and lets IAM policies grant its use, action by action (not kms:*).
    const root = new iam.AccountRootPrincipal();
    this.key = new kms.Key(this, 'Key', {
      description: 'ipreg lake: objects, Athena results',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ sid: 'Administer', principals: [root], resources: ['*'], actions: KEY_ADMIN_ACTIONS }),
          new iam.PolicyStatement({ sid: 'UseThroughIam', principals: [root], resources: ['*'], actions: KEY_USE_ACTIONS }),
        ],
      }),
    });

    // Server access logs can only be delivered to a bucket encrypted with S3-managed keys; the logging
    // service writes through a bucket policy (no ACLs).
    const logs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'logs', expiration: days(config.logDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: config.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'lake/',
      lifecycleRules: [
        // The publishers' files as downloaded: the tables made from them stay.
        { id: 'raw', prefix: LAKE_PREFIXES.raw, expiration: days(config.rawDays) },
        // Builds older than a rollback needs (keep it above the longest pause of the pipelines: the published build is one of them).
        { id: 'builds', prefix: BUILDS_PREFIX, expiration: days(config.buildDays) },
        // A replaced or deleted object's old version: the backup window a deletion request is held to.
        { id: 'noncurrent', noncurrentVersionExpiration: days(config.noncurrentDays), expiredObjectDeleteMarker: true, abortIncompleteMultipartUploadAfter: days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.results = new s3.Bucket(this, 'AthenaResults', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [{ id: 'results', expiration: days(config.logDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const account = Stack.of(this).account;
    const lake = `s3://${this.bucket.bucketName}`;
    this.database = new glue.CfnDatabase(this, 'Database', { catalogId: account, databaseInput: { name: DATABASE, description: 'ipreg: IP ranges, registered companies and the links between them' } });
    for (const table of TABLES) {
      const location = tableLocation(table, lake);
      const t = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: account,
        databaseName: DATABASE,
        tableInput: {
          name: table.name,
          description: table.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: { EXTERNAL: 'TRUE', classification: 'parquet', ...athenaTableProperties(table, location, projectionOf(table, lakePartitionValues())) },
          partitionKeys: table.partitions.map((p) => ({ name: p.name, type: 'string', comment: p.description })),
          storageDescriptor: { location: `${location}/`, columns: table.columns.map((c) => ({ name: c.name, type: athenaType(c.type), comment: c.description })), ...PARQUET },
        },
      });
      t.node.addDependency(this.database);
    }
    const runs = new glue.CfnTable(this, `Table-${RUNS.name}`, {
      catalogId: account,
      databaseName: DATABASE,
      tableInput: {
        name: RUNS.name,
        description: RUNS.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: { EXTERNAL: 'TRUE', classification: 'json', ...jsonTableProperties(RUNS, lake, lakePartitionValues()) },
        partitionKeys: [{ name: RUNS.partition.name, type: 'string', comment: RUNS.partition.description }],
        storageDescriptor: {
          location: jsonTableLocation(RUNS, lake),
          columns: RUNS.columns.map((c) => ({ name: c.name, type: c.athena, comment: c.description })),
          ...JSON_LINES,
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', parameters: jsonSerdeParameters(RUNS) },
        },
      },
    });
    runs.node.addDependency(this.database);

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: WORKGROUP,
      description: 'ipreg analysts: results encrypted in the results bucket, scans capped per query',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.results.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn },
        },
      },
    });
  }
}
