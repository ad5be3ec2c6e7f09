/** The ipreg deployment as one stack: the lake and its analytics, the pipelines, the resolvers. */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { Compute } from './compute.js';
import { Lake } from './lake.js';

/** CDK feature flags the app runs with (the behaviour a new CDK project gets). */
export const FEATURE_FLAGS = {
  // Access logs are delivered through a bucket policy, not the deprecated LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

/**
 * The image repository, a stack of its own: deployed first, so that the image can be pushed before
 * the services that run it are made.
 */
export class ImagesStack extends Stack {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, config: InfraConfig, props: StackProps = {}) {
    super(scope, id, { ...props, env: { account: config.account, region: config.region }, description: 'ipreg: the container image repository' });
    this.repository = new ecr.Repository(this, 'Images', { repositoryName: 'ipreg', imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE, removalPolicy: RemovalPolicy.RETAIN });
  }
}

export class IpregStack extends Stack {
  readonly lake: Lake;
  readonly compute: Compute;

  constructor(scope: Construct, id: string, config: InfraConfig, repository: ecr.IRepository, props: StackProps = {}) {
    super(scope, id, { ...props, env: { account: config.account, region: config.region }, description: 'ipreg: the lake and its tables in Athena, the pipelines on their schedules, the resolvers' });
    this.lake = new Lake(this, 'Lake', config);
    this.compute = new Compute(this, 'Compute', config, this.lake, repository);
  }
}
