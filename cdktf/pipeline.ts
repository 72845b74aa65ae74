/**
 * Pipeline (tools account): Source (CodeStar connection) → Build (CodeBuild) → Deploy-<env> for
 * each environment in config order, with a manual approval (SNS) before every environment after
 * the first. Each deploy is a Lambda invoke of edgelock's deploy function, which assumes that
 * environment's DeployAccess role.
 */
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { Codepipeline, type CodepipelineStage } from '@cdktf/provider-aws/lib/codepipeline';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { artifactKeyPolicy, policy, roleArn, serviceTrustPolicy, tlsOnlyStatement, type PolicyDocument, type Statement } from '../src/origin/policy';
import { guardedServiceTrustPolicy, queueTlsOnlyPolicy } from './service-policies';
import { LOG_GROUP_RETENTION_DAYS } from '../src/config/schema';
import type { VerifiedZip } from './artifacts';
import { LockedBucket } from './locked-bucket';
import { PropsCheck } from './props';

/** Name of the deploy function's role: fixed, because each environment's DeployAccess trusts it by ARN. */
export const deployFunctionRoleName = (project: string): string => `${project}-deploy-function`;

/** What the deploy function receives as CodePipeline UserParameters (JSON). */
export interface DeployUserParameters {
  /** The environment to deploy: the deploy function reads this key. */
  readonly env: string;
  readonly project: string;
  /** The environment's DeployAccess role. */
  readonly roleArn: string;
  readonly bucket: string;
  readonly region: string;
  /** SSM parameter (in the environment account and region) with bucket and distribution ID. */
  readonly siteParameter: string;
}

export interface PipelineEnvironment {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly siteParameter: string;
}

export interface PipelineProps {
  readonly project: string;
  /** The tools account, where the pipeline runs. */
  readonly accountId: string;
  readonly region: string;
  /** "owner/name" of the Git repository. */
  readonly repository: string;
  readonly branch: string;
  /** An existing CodeStar connection. @default a new connection (activate it once in the console) */
  readonly connectionArn?: string;
  /** Environments in deploy order. */
  readonly environments: readonly PipelineEnvironment[];
  /** Role name each environment offers (config `deploy.roleName`). */
  readonly deployRoleName: string;
  /** edgelock's deploy function bundle. */
  readonly deployFunction: VerifiedZip;
  /** The folder (relative to the repository) the build leaves the site in. */
  readonly siteDir: string;
  /** Commands CodeBuild runs, in order (config `stacks.pipeline.buildCommands`). */
  readonly buildCommands: readonly string[];
  /** CodeBuild image, e.g. 'aws/codebuild/standard:7.0'. */
  readonly buildImage: string;
  /** CodeBuild compute type, e.g. 'BUILD_GENERAL1_SMALL'. */
  readonly computeType: string;
  /** Days the deploy function's and CodeBuild's log groups keep logs. @default 365 */
  readonly logRetentionDays?: number;
  /** A KMS key for those log groups (its policy must admit CloudWatch Logs). @default CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
  /** Who is e-mailed for each manual approval (may be empty: approve in the console). */
  readonly approvalEmails: readonly string[];
}

const SOURCE = 'source';
const SITE = 'site';

export class Pipeline extends Construct {
  readonly pipeline: Codepipeline;
  readonly artifactBucket: LockedBucket;
  readonly deployFunction: LambdaFunction;
  /** Failed asynchronous invocations of the deploy function. */
  readonly failures: SqsQueue;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    checkPipelineProps(props, `Pipeline ${this.node.path}`);
    const { project, accountId } = props;
    const names = { pipeline: `${project}-pipeline`, build: `${project}-build`, deploy: deployFunctionRoleName(project) };
    const { region } = props;
    const role = (id: string, name: string, trust: PolicyDocument) => new IamRole(this, id, { name, assumeRolePolicy: JSON.stringify(trust) });
    const arns = {
      pipeline: `arn:aws:codepipeline:${region}:${accountId}:${project}`,
      build: `arn:aws:codebuild:${region}:${accountId}:project/${names.build}`,
    };
    // CodePipeline and CodeBuild document aws:SourceAccount and aws:SourceArn for their service
    // roles. Lambda documents a plain lambda.amazonaws.com trust for execution roles (no source
    // keys), so the deploy function's role has none; its permissions confine it.
    const pipelineRole = role('pipeline-role', names.pipeline, guardedServiceTrustPolicy('codepipeline.amazonaws.com', accountId, arns.pipeline));
    const buildRole = role('build-role', names.build, guardedServiceTrustPolicy('codebuild.amazonaws.com', accountId, arns.build));
    const deployRole = role('deploy-function-role', names.deploy, serviceTrustPolicy(['lambda.amazonaws.com']));
    const logGroup = (id: string, name: string) =>
      new CloudwatchLogGroup(this, id, { name, retentionInDays: props.logRetentionDays ?? 365, kmsKeyId: props.logKmsKeyArn });
    const deployLogs = logGroup('deploy-function-logs', `/aws/lambda/${project}-deploy`);
    const buildLogs = logGroup('build-logs', `/aws/codebuild/${names.build}`);
    // The pipeline and build roles read and write artifacts; the deploy function only reads them,
    // so the key admits it for kms:Decrypt alone (a key policy grant needs no IAM policy to work).
    const writerRoles = [roleArn(accountId, names.pipeline), roleArn(accountId, names.build)];

    const key = new KmsKey(this, 'artifact-key', { description: `edgelock ${project} pipeline artifacts`, enableKeyRotation: true, deletionWindowInDays: 30 });
    new KmsKeyPolicy(this, 'artifact-key-policy', {
      keyId: key.keyId,
      policy: JSON.stringify(
        policy(...artifactKeyPolicy({ accountId, userRoleArns: writerRoles }).Statement, {
          Sid: 'AllowDeployFunctionToDecryptArtifacts',
          Effect: 'Allow',
          Principal: { AWS: roleArn(accountId, names.deploy) },
          Action: 'kms:Decrypt',
          Resource: '*',
        }),
      ),
      dependsOn: [pipelineRole, buildRole, deployRole], // KMS rejects a policy naming roles that do not exist yet
    });
    new KmsAlias(this, 'artifact-key-alias', { name: `alias/${project}-pipeline-artifacts`, targetKeyId: key.keyId });

    this.artifactBucket = new LockedBucket(this, 'artifacts', {
      bucketName: `${project}-pipeline-artifacts-${accountId}`,
      encryption: { kind: 'sse-kms', keyArn: key.arn },
      expireAfterDays: 90,
    });
    this.artifactBucket.attachPolicy(policy(tlsOnlyStatement(this.artifactBucket.arn)));
    const artifacts = this.artifactBucket.arn;

    const connectionArn =
      props.connectionArn ?? new CodestarconnectionsConnection(this, 'connection', { name: `${project}-git`.slice(0, 32), providerType: 'GitHub' }).arn;

    const build = new CodebuildProject(this, 'build', {
      name: `${project}-build`,
      serviceRole: buildRole.arn,
      encryptionKey: key.arn,
      artifacts: { type: 'CODEPIPELINE' },
      environment: { type: 'LINUX_CONTAINER', image: props.buildImage, computeType: props.computeType },
      source: { type: 'CODEPIPELINE', buildspec: buildspec(props.buildCommands, props.siteDir) },
      logsConfig: { cloudwatchLogs: { groupName: buildLogs.name, status: 'ENABLED' } },
    });

    const fnAsset = new TerraformAsset(this, 'deploy-zip', { path: props.deployFunction.file, type: AssetType.FILE });
    this.deployFunction = new LambdaFunction(this, 'deploy-function', {
      functionName: `${project}-deploy`,
      description: `edgelock grant-aware deploy of ${project}`,
      role: deployRole.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: fnAsset.path,
      sourceCodeHash: props.deployFunction.sourceCodeHash,
      memorySize: 1024,
      timeout: 900,
      loggingConfig: { logFormat: 'Text', logGroup: deployLogs.name },
      dependsOn: [deployLogs],
    });
    // CodePipeline invokes the function asynchronously: a failed invocation is kept here (SSE-SQS, TLS only).
    this.failures = new SqsQueue(this, 'deploy-failures', {
      name: `${project}-deploy-failures`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600,
    });
    new SqsQueuePolicy(this, 'deploy-failures-policy', { queueUrl: this.failures.url, policy: JSON.stringify(queueTlsOnlyPolicy(this.failures.arn)) });

    const topic = new SnsTopic(this, 'approvals', { name: `${project}-approvals`, kmsMasterKeyId: 'alias/aws/sns' });
    props.approvalEmails.forEach((email, i) => new SnsTopicSubscription(this, `approval-email-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }));

    const envRoleArns = props.environments.map((e) => roleArn(e.accountId, props.deployRoleName));
    const writeLogs = (sid: string, group: CloudwatchLogGroup): Statement => ({
      Sid: sid,
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${group.arn}:log-stream:*`,
    });
    // Reading artifacts needs Decrypt only; writing them (build, pipeline) needs data keys.
    const readKey: Statement = { Sid: 'DecryptArtifacts', Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.arn };
    const useKey: Statement = { Sid: 'UseArtifactKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: key.arn };
    const inline = (name: string, r: IamRole, ...statements: Statement[]) =>
      new IamRolePolicy(this, `${name}-policy`, { role: r.id, name, policy: JSON.stringify(policy(...statements)) });

    const deployPolicy = inline('deploy-function', deployRole, writeLogs('WriteOwnLogs', deployLogs), readKey,
      { Sid: 'ReadArtifacts', Effect: 'Allow', Action: 's3:GetObject', Resource: `${artifacts}/*` },
      { Sid: 'ReportJobResult', Effect: 'Allow', Action: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'], Resource: '*' },
      { Sid: 'AssumeEnvironmentDeployRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: envRoleArns },
      { Sid: 'KeepFailedInvocations', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.failures.arn },
    );
    // Lambda checks the role may send to the destination when the config is saved.
    new LambdaFunctionEventInvokeConfig(this, 'deploy-function-invoke', {
      functionName: this.deployFunction.functionName,
      maximumRetryAttempts: 0,
      destinationConfig: { onFailure: { destination: this.failures.arn } },
      dependsOn: [deployPolicy],
    });
    inline('build', buildRole, writeLogs('WriteOwnLogs', buildLogs), useKey,
      { Sid: 'ReadWriteArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], Resource: `${artifacts}/*` },
    );
    inline('pipeline', pipelineRole, useKey,
      { Sid: 'ReadWriteArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:GetBucketVersioning'], Resource: [artifacts, `${artifacts}/*`] },
      { Sid: 'UseConnection', Effect: 'Allow', Action: 'codestar-connections:UseConnection', Resource: connectionArn },
      { Sid: 'RunBuild', Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'], Resource: build.arn },
      { Sid: 'InvokeDeploy', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: this.deployFunction.arn },
      { Sid: 'NotifyApprovers', Effect: 'Allow', Action: 'sns:Publish', Resource: topic.arn },
    );

    const stages: CodepipelineStage[] = [
      {
        name: 'Source',
        action: [{
          name: 'Source', category: 'Source', owner: 'AWS', provider: 'CodeStarSourceConnection', version: '1', outputArtifacts: [SOURCE],
          configuration: { ConnectionArn: connectionArn, FullRepositoryId: props.repository, BranchName: props.branch, OutputArtifactFormat: 'CODE_ZIP' },
        }],
      },
      {
        name: 'Build',
        action: [{
          name: 'Build', category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1', inputArtifacts: [SOURCE], outputArtifacts: [SITE],
          configuration: { ProjectName: build.name },
        }],
      },
    ];
    props.environments.forEach((env, i) => {
      if (i > 0) {
        stages.push({
          name: `Approve-${env.name}`,
          action: [{
            name: 'Approve', category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1',
            configuration: { NotificationArn: topic.arn, CustomData: `Deploy ${project} to ${env.name} (account ${env.accountId})?` },
          }],
        });
      }
      const params: DeployUserParameters = {
        env: env.name, project, roleArn: roleArn(env.accountId, props.deployRoleName), bucket: env.bucket, region: env.region, siteParameter: env.siteParameter,
      };
      stages.push({
        name: `Deploy-${env.name}`,
        action: [{
          name: 'Deploy', category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1', inputArtifacts: [SITE],
          configuration: { FunctionName: this.deployFunction.functionName, UserParameters: JSON.stringify(params) },
        }],
      });
    });

    this.pipeline = new Codepipeline(this, 'pipeline', {
      name: project,
      pipelineType: 'V2',
      roleArn: pipelineRole.arn,
      artifactStore: [{ location: this.artifactBucket.bucket.bucket, type: 'S3', encryptionKey: { id: key.arn, type: 'KMS' } }],
      stage: stages,
    });
  }
}

/** The CodeBuild buildspec (JSON is valid YAML): run the commands, hand `siteDir` on as the artifact. */
export function buildspec(commands: readonly string[], siteDir: string): string {
  return JSON.stringify({
    version: '0.2',
    phases: { install: { 'runtime-versions': { nodejs: 20 } }, build: { commands: [...commands] } },
    artifacts: { 'base-directory': siteDir, files: ['**/*'] },
  }, null, 2);
}

function checkPipelineProps(props: PipelineProps, source: string): void {
  const check = new PropsCheck(source)
    .name(props.project, 'project')
    .accountId(props.accountId, 'accountId')
    .region(props.region, 'region')
    .that(typeof props.repository === 'string' && /^[^/\s]+\/[^/\s]+$/.test(props.repository), 'repository', `expected "owner/name" of the Git repository, got ${JSON.stringify(props.repository)}`)
    .text(props.branch, 'branch')
    .that(Array.isArray(props.environments) && props.environments.length > 0, 'environments', 'expected at least one environment, in deploy order')
    .text(props.deployRoleName, 'deployRoleName')
    .that(typeof props.deployFunction === 'object' && props.deployFunction !== null && typeof props.deployFunction.file === 'string', 'deployFunction',
      'expected the deploy function bundle: BuildArtifacts.fn("deploy", ...) of the build')
    .text(props.siteDir, 'siteDir')
    .that(Array.isArray(props.buildCommands) && props.buildCommands.length > 0 && props.buildCommands.every((c) => typeof c === 'string' && c.trim() !== ''), 'buildCommands', 'expected one or more non-empty commands')
    .text(props.buildImage, 'buildImage')
    .text(props.computeType, 'computeType')
    .that(props.logRetentionDays === undefined || (LOG_GROUP_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays), 'logRetentionDays', `expected one of ${LOG_GROUP_RETENTION_DAYS.join(', ')}`)
    .that(Array.isArray(props.approvalEmails) && props.approvalEmails.every((e) => typeof e === 'string' && /^[^@\s]+@[^@\s]+$/.test(e)), 'approvalEmails', 'expected a list of e-mail addresses (may be empty)');
  if (props.logKmsKeyArn !== undefined) check.arn(props.logKmsKeyArn, 'logKmsKeyArn', 'kms', /^key\//);
  if (props.connectionArn !== undefined) check.arn(props.connectionArn, 'connectionArn', props.connectionArn.includes(':codeconnections:') ? 'codeconnections' : 'codestar-connections', /^connection\//);
  (Array.isArray(props.environments) ? props.environments : []).forEach((env, i) => {
    check.name(env.name, `environments[${i}].name`).accountId(env.accountId, `environments[${i}].accountId`).region(env.region, `environments[${i}].region`)
      .bucketName(env.bucket, `environments[${i}].bucket`).text(env.siteParameter, `environments[${i}].siteParameter`);
  });
  check.done();
}
