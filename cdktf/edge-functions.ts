/**
 * EdgeFunctions: the environment's built Lambda@Edge bundles, published in us-east-1 of the
 * environment's own account (a function attaches only to distributions of its account).
 */
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, type TerraformProvider } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { HANDLERS, type HandlerName } from '../src/build/handlers';
import { LOG_GROUP_RETENTION_DAYS } from '../src/config/schema';
import { EdgelockError } from '../src/errors';
import { policy, serviceTrustPolicy } from '../src/origin/policy';
import { BuildArtifacts } from './artifacts';
import { PropsCheck } from './props';

/** Lambda@Edge's runtime for edgelock's bundles. */
export const EDGE_RUNTIME = 'nodejs22.x';

export interface EdgeFunctionsProps {
  /** Project name (config `project`): prefixes the function and role names. */
  readonly project: string;
  /** Environment name: which bundles of the build are published. */
  readonly environment: string;
  /** The environment's account: the only one whose log groups the role may write. */
  readonly accountId: string;
  /** Whether the environment has Basic auth: its build must (and must only then) hold a viewer-request bundle. */
  readonly auth: boolean;
  /** The build (`BuildArtifacts.load(dist, project)`): zips checked against the manifest. */
  readonly artifacts: BuildArtifacts;
  /** The environment account's us-east-1 provider. */
  readonly provider: TerraformProvider;
  /** How long Terraform waits for CloudFront to drop the replicas on delete. @default '6h' */
  readonly deleteTimeout?: string;
  /**
   * The environment account's provider in any region: the log groups are placed per region with
   * the resource-level `region` argument.
   */
  readonly logProvider?: TerraformProvider;
  /** Regions where each function's `/aws/lambda/us-east-1.<function>` log group is created. @default none */
  readonly logRegions?: readonly string[];
  /** Days those log groups keep logs (a CloudWatch Logs retention value). @default 365 */
  readonly logRetentionDays?: number;
}

export class EdgeFunctions extends Construct {
  /** Qualified (versioned) ARN per handler; handlers the environment does not use are absent. */
  readonly qualifiedArns: Partial<Record<HandlerName, string>> = {};
  readonly role: IamRole;
  /** The log groups created per region (empty without logRegions). */
  readonly logGroups: CloudwatchLogGroup[];

  constructor(scope: Construct, id: string, props: EdgeFunctionsProps) {
    super(scope, id);
    new PropsCheck(`EdgeFunctions ${this.node.path}`)
      .name(props.project, 'project')
      .name(props.environment, 'environment')
      .accountId(props.accountId, 'accountId')
      .that(typeof props.auth === 'boolean', 'auth', 'expected true or false')
      .that(props.artifacts instanceof BuildArtifacts, 'artifacts', 'expected the build, from BuildArtifacts.load(dist, project)')
      .that(props.provider !== undefined && props.provider !== null, 'provider', "expected the environment account's us-east-1 AwsProvider (Lambda@Edge functions live in us-east-1)")
      .that(props.deleteTimeout === undefined || /^\d+[smh]$/.test(props.deleteTimeout), 'deleteTimeout', `expected a duration such as "6h", got ${JSON.stringify(props.deleteTimeout)}`)
      .that(props.logRegions === undefined || (Array.isArray(props.logRegions) && props.logRegions.every((r) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(r))), 'logRegions', 'expected AWS regions such as "eu-west-1"')
      .that(props.logRetentionDays === undefined || (LOG_GROUP_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays), 'logRetentionDays', `expected one of ${LOG_GROUP_RETENTION_DAYS.join(', ')}`)
      .that(`${props.project}-${props.environment}-origin-response`.length <= 64, 'project', 'project and environment names together are too long: function names must fit in 64 characters')
      .done();
    const prefix = `${props.project}-${props.environment}`;
    this.role = new IamRole(this, 'role', {
      provider: props.provider,
      name: `${prefix}-edge`,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy(['lambda.amazonaws.com', 'edgelambda.amazonaws.com'])),
    });
    const names = HANDLERS.filter((spec) => props.artifacts.handler(props.environment, spec.name) !== undefined).map((spec) => `${prefix}-${spec.name}`);
    const groups = names.map((n) => `arn:aws:logs:*:${props.accountId}:log-group:/aws/lambda/us-east-1.${n}`);
    new IamRolePolicy(this, 'logs', {
      provider: props.provider,
      role: this.role.id,
      name: 'write-own-logs-in-every-region',
      // Lambda@Edge logs land in the region that served the request, as /aws/lambda/us-east-1.<name>:
      // each function's own group in any region, nothing else. CreateLogGroup stays for regions
      // not listed in stacks.edgeLogRegions, so no log is lost there.
      policy: JSON.stringify(
        policy(
          { Sid: 'CreateOwnLogGroups', Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: groups },
          { Sid: 'WriteOwnLogStreams', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: groups.map((g) => `${g}:log-stream:*`) },
        ),
      ),
    });
    this.logGroups = (props.logRegions ?? []).flatMap((region) =>
      names.map(
        (n) =>
          new CloudwatchLogGroup(this, `log-${region}-${n.slice(prefix.length + 1)}`, {
            provider: props.logProvider ?? props.provider,
            region,
            name: `/aws/lambda/us-east-1.${n}`,
            retentionInDays: props.logRetentionDays ?? 365,
          }),
      ),
    );

    const hasAuthBundle = props.artifacts.handler(props.environment, 'viewer-request') !== undefined;
    if (hasAuthBundle !== props.auth) {
      throw new EdgelockError(
        `environment "${props.environment}" has auth: ${props.auth} but the build ${hasAuthBundle ? 'has a' : 'has no'} viewer-request (Basic auth) bundle for it: ` +
          'the build is older than the config; run `npm run build` (or `edgelock build`) before synth', { code: 'BUILD_STALE' }
      );
    }
    for (const spec of HANDLERS) {
      const zip = props.artifacts.handler(props.environment, spec.name);
      if (!zip) continue;
      const asset = new TerraformAsset(this, `${spec.name}-zip`, { path: zip.file, type: AssetType.FILE });
      const fn = new LambdaFunction(this, spec.name, {
        provider: props.provider,
        functionName: `${prefix}-${spec.name}`,
        description: `edgelock ${spec.name} for ${props.project}/${props.environment}`,
        role: this.role.arn,
        runtime: EDGE_RUNTIME,
        handler: 'index.handler',
        filename: asset.path,
        sourceCodeHash: zip.sourceCodeHash,
        memorySize: spec.memoryMb,
        timeout: spec.timeoutSeconds,
        publish: true,
        timeouts: { delete: props.deleteTimeout ?? '6h' },
        // The groups first: a replica that logs before they exist would create them without retention.
        dependsOn: this.logGroups,
      });
      this.qualifiedArns[spec.name] = fn.qualifiedArn;
    }
  }
}
