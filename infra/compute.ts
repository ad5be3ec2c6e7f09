/**
 * Where ipreg runs: one container image (the root Dockerfile, pushed to the repository of the
 * images stack), the pipelines as Fargate tasks started by EventBridge Scheduler at the cron each pipeline
 * declares, alarms on failed and missing runs, and the resolvers as a Fargate service behind an HTTPS
 * load balancer, scaled on CPU and requests. Each role gets what its part needs of the lake and no more.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as patterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { PIPELINES } from '../pipelines/index.js';
import { LAKE_PREFIXES } from '../src/lake/paths.js';
import type { InfraConfig } from './config.js';
import { KEY_USE_ACTIONS, type Lake } from './lake.js';
import { schedulerCron } from './schedules.js';

/** The port `ipreg serve` listens on in the container (serve.port's default). */
export const RESOLVER_PORT = 8080;

/** Reading objects below some prefixes of the lake bucket, and listing only those prefixes. */
function readPrefixes(lake: Lake, prefixes: readonly string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: prefixes.map((p) => lake.bucket.arnForObjects(`${p}*`)) }),
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [lake.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } } }),
    new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [lake.key.keyArn] }),
  ];
}

export class Compute extends Construct {
  readonly pipelineTask: ecs.FargateTaskDefinition;
  readonly resolver: patterns.ApplicationLoadBalancedFargateService;
  readonly analysts: iam.ManagedPolicy;
  readonly alarms: sns.Topic;

  constructor(scope: Construct, id: string, config: InfraConfig, lake: Lake, repository: ecr.IRepository) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    // S3 traffic stays off the NAT gateway.
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const image = ecs.ContainerImage.fromEcrRepository(repository, config.imageTag);
    const store = `s3://${lake.bucket.bucketName}`;

    // The pipelines: one task definition; each schedule says which pipeline it runs.
    const pipelineLogs = new logs.LogGroup(this, 'PipelineLogs', { retention: config.logRetentionDays, removalPolicy: RemovalPolicy.RETAIN });
    this.pipelineTask = new ecs.FargateTaskDefinition(this, 'PipelineTask', { cpu: config.pipeline.cpu, memoryLimitMiB: config.pipeline.memoryMiB, ephemeralStorageGiB: config.pipeline.ephemeralGiB });
    const container = this.pipelineTask.addContainer('ipreg', {
      image,
      command: ['run', 'nightly', '--wait', '600'],
      environment: { IPREG_STORE: store, IPREG_S3_REGION: Stack.of(this).region, IPREG_LOG_LEVEL: 'info' },
      logging: ecs.LogDrivers.awsLogs({ logGroup: pipelineLogs, streamPrefix: 'pipeline' }),
    });
    // The pipelines write the lake: objects anywhere in it, with the key.
    this.pipelineTask.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [lake.bucket.arnForObjects('*')] }));
    this.pipelineTask.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [lake.bucket.bucketArn] }));
    this.pipelineTask.addToTaskRolePolicy(new iam.PolicyStatement({ actions: KEY_USE_ACTIONS, resources: [lake.key.keyArn] }));
    const pipelineSecurity = new ec2.SecurityGroup(this, 'PipelineSecurity', { vpc, description: 'ipreg pipelines: out to the publishers and S3, nothing in', allowAllOutbound: true });

    const schedulerRole = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    schedulerRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:RunTask'], resources: [this.pipelineTask.taskDefinitionArn], conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } } }));
    schedulerRole.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [this.pipelineTask.taskRole.roleArn, this.pipelineTask.obtainExecutionRole().roleArn] }));
    for (const pipeline of PIPELINES) {
      new scheduler.CfnSchedule(this, `Schedule-${pipeline.name}`, {
        name: `ipreg-${pipeline.name}`,
        description: `${pipeline.description}: ${pipeline.schedule.why}`,
        scheduleExpression: schedulerCron(pipeline.schedule.cron),
        scheduleExpressionTimezone: pipeline.schedule.timeZone,
        // Pipelines overlap (nightly is all of them): only those configured run; the others are there to switch on.
        state: config.schedules && config.scheduled.includes(pipeline.name) ? 'ENABLED' : 'DISABLED',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: cluster.clusterArn,
          roleArn: schedulerRole.roleArn,
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
          ecsParameters: {
            taskDefinitionArn: this.pipelineTask.taskDefinitionArn,
            launchType: 'FARGATE',
            taskCount: 1,
            networkConfiguration: { awsvpcConfiguration: { subnets: vpc.privateSubnets.map((s) => s.subnetId), securityGroups: [pipelineSecurity.securityGroupId], assignPublicIp: 'DISABLED' } },
          },
          input: JSON.stringify({ containerOverrides: [{ name: container.containerName, command: ['run', pipeline.name, '--wait', '600'] }] }),
        },
      });
    }

    // Failed runs: the runner logs "run finished" with its outcome; a run that dies logs nothing, so a
    // missing success is an alarm too.
    this.alarms = new sns.Topic(this, 'Alarms', { displayName: 'ipreg alarms' });
    if (config.alarmEmail !== undefined) this.alarms.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    const runsMetric = (name: string, outcome: string) =>
      new logs.MetricFilter(this, `${name}Filter`, {
        logGroup: pipelineLogs,
        metricNamespace: 'ipreg',
        metricName: name,
        filterPattern: logs.FilterPattern.all(logs.FilterPattern.stringValue('$.msg', '=', 'run finished'), logs.FilterPattern.stringValue('$.outcome', '=', outcome)),
        metricValue: '1',
        defaultValue: 0,
      }).metric({ statistic: 'Sum' });
    const failed = new cloudwatch.Alarm(this, 'FailedRuns', {
      alarmDescription: 'an ipreg pipeline run failed (ipreg runs list says which step and why)',
      metric: runsMetric('FailedRuns', 'failed').with({ period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const missing = new cloudwatch.Alarm(this, 'NoSucceededRun', {
      alarmDescription: 'no ipreg pipeline run succeeded in the last 26 hours: a run died, hung or never started',
      metric: runsMetric('SucceededRuns', 'succeeded').with({ period: Duration.hours(26) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    for (const alarm of [failed, missing]) alarm.addAlarmAction(new actions.SnsAction(this.alarms));

    // The resolvers: HTTPS only, ready when a verified build is loaded, reading index/ and nothing else.
    const { certificateArn, domainName } = config.resolver;
    if (certificateArn === undefined && domainName === undefined) throw new Error('the resolver needs HTTPS: set ipreg:resolver.certificateArn, or ipreg:resolver.domainName for a certificate validated by DNS');
    const certificate =
      certificateArn !== undefined
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn)
        : new acm.Certificate(this, 'Certificate', { domainName: domainName as string, validation: acm.CertificateValidation.fromDns() });
    const resolverLogs = new logs.LogGroup(this, 'ResolverLogs', { retention: config.logRetentionDays, removalPolicy: RemovalPolicy.RETAIN });
    this.resolver = new patterns.ApplicationLoadBalancedFargateService(this, 'Resolver', {
      cluster,
      cpu: config.resolver.cpu,
      memoryLimitMiB: config.resolver.memoryMiB,
      desiredCount: config.resolver.minTasks,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificate,
      redirectHTTP: true,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      publicLoadBalancer: true,
      taskImageOptions: {
        image,
        containerPort: RESOLVER_PORT,
        command: ['serve', '--host', '0.0.0.0', '--port', String(RESOLVER_PORT)],
        environment: { IPREG_STORE: store, IPREG_S3_REGION: Stack.of(this).region, IPREG_LOG_LEVEL: 'info' },
        logDriver: ecs.LogDrivers.awsLogs({ logGroup: resolverLogs, streamPrefix: 'resolver' }),
      },
    });
    this.resolver.targetGroup.configureHealthCheck({ path: '/readyz', healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2, unhealthyThresholdCount: 3 });
    for (const statement of readPrefixes(lake, [LAKE_PREFIXES.index])) this.resolver.taskDefinition.addToTaskRolePolicy(statement);
    const scaling = this.resolver.service.autoScaleTaskCount({ minCapacity: config.resolver.minTasks, maxCapacity: config.resolver.maxTasks });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('Requests', { requestsPerTarget: config.resolver.requestsPerTarget, targetGroup: this.resolver.targetGroup });

    // Analysts: the tables and run records, the workgroup, its results; attached to their own roles or groups.
    const account = Stack.of(this).account;
    const region = Stack.of(this).region;
    const partition = Stack.of(this).partition;
    this.analysts = new iam.ManagedPolicy(this, 'Analysts', {
      description: 'ipreg analysts: read tables/ and runs/, query them in the ipreg workgroup',
      statements: [
        ...readPrefixes(lake, [LAKE_PREFIXES.tables, LAKE_PREFIXES.runs]),
        new iam.PolicyStatement({ actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'], resources: [`arn:${partition}:athena:${region}:${account}:workgroup/${lake.workgroup.name}`] }),
        new iam.PolicyStatement({
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
          resources: [`arn:${partition}:glue:${region}:${account}:catalog`, `arn:${partition}:glue:${region}:${account}:database/${lake.database.ref}`, `arn:${partition}:glue:${region}:${account}:table/${lake.database.ref}/*`],
        }),
        new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [lake.results.arnForObjects('*')] }),
        new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [lake.results.bucketArn] }),
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Encrypt'], resources: [lake.key.keyArn] }),
      ],
    });
  }
}
