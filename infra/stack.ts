/** The ipreg deployment as one stack: the lake and its analytics (pipelines and resolvers to come). */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { Lake } from './lake.js';

/** CDK feature flags the app runs with (the behaviour a new CDK project gets). */
export const FEATURE_FLAGS = {
  // Access logs are delivered through a bucket policy, not the deprecated LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

export class IpregStack extends Stack {
  readonly lake: Lake;

  constructor(scope: Construct, id: string, config: InfraConfig, props: StackProps = {}) {
    super(scope, id, { ...props, env: { account: config.account, region: config.region }, description: 'ipreg: the lake, its tables in Athena' });
    this.lake = new Lake(this, 'Lake', config);
  }
}
