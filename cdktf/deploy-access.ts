/**
 * DeployAccess: the role an environment account offers to the tools account's deploy function,
 * allowed only what the deployer needs on this bucket and this distribution, and the SSM
 * parameter that tells the deployer which bucket and distribution those are.
 */
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { deployRolePermissions, deployRoleTrustPolicy } from '../src/origin/policy';
import { PropsCheck } from './props';
import { withPrincipalOrg } from './service-policies';

/** Where each environment publishes its site description for the deployer. */
export const siteParameterName = (project: string, environment: string): string => `/edgelock/${project}/${environment}/site`;

export interface DeployAccessProps {
  readonly project: string;
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  /** Name of the role (config `deploy.roleName`). */
  readonly roleName: string;
  /** The tools account's deploy function role, the only principal trusted. */
  readonly trustedRoleArn: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly distributionArn: string;
  readonly distributionId: string;
  readonly distributionDomainName: string;
  /** The site bucket's KMS key, when it uses SSE-KMS: the role may use it for this bucket only. @default none (SSE-S3) */
  readonly kmsKeyArn?: string;
  /** The AWS Organization ID: the trust then also requires aws:PrincipalOrgID. @default no organization condition */
  readonly organizationId?: string;
  /** Legacy OAI buckets (ACLs enabled) require `bucket-owner-full-control` on uploads. @default false */
  readonly requireBucketOwnerFullControl?: boolean;
}

export class DeployAccess extends Construct {
  readonly role: IamRole;
  readonly parameter: SsmParameter;

  constructor(scope: Construct, id: string, props: DeployAccessProps) {
    super(scope, id);
    const check = new PropsCheck(`DeployAccess ${this.node.path}`)
      .name(props.project, 'project')
      .name(props.environment, 'environment')
      .accountId(props.accountId, 'accountId')
      .region(props.region, 'region')
      .that(typeof props.roleName !== 'string' || /^[\w+=,.@-]{1,64}$/.test(props.roleName), 'roleName', `expected an IAM role name (up to 64 of letters, digits and +=,.@_-), got ${JSON.stringify(props.roleName)}`)
      .text(props.roleName, 'roleName')
      .arn(props.trustedRoleArn, 'trustedRoleArn', 'iam', /^role\//)
      .bucketName(props.bucketName, 'bucketName')
      .arn(props.bucketArn, 'bucketArn', 's3')
      .arn(props.distributionArn, 'distributionArn', 'cloudfront', /^distribution\//)
      .text(props.distributionId, 'distributionId')
      .text(props.distributionDomainName, 'distributionDomainName')
      .that(props.requireBucketOwnerFullControl === undefined || typeof props.requireBucketOwnerFullControl === 'boolean', 'requireBucketOwnerFullControl', 'expected true or false');
    check.that(props.organizationId === undefined || /^o-[a-z0-9]{10,32}$/.test(props.organizationId), 'organizationId', `expected an AWS Organization ID such as "o-a1b2c3d4e5", got ${JSON.stringify(props.organizationId)}`);
    if (props.kmsKeyArn !== undefined) check.arn(props.kmsKeyArn, 'kmsKeyArn', 'kms', /^key\//);
    check.done();
    const parameterName = siteParameterName(props.project, props.environment);
    this.parameter = new SsmParameter(this, 'site', {
      name: parameterName,
      type: 'String',
      description: `edgelock: what the deployer of ${props.project}/${props.environment} writes to`,
      value: JSON.stringify({
        project: props.project,
        environment: props.environment,
        bucket: props.bucketName,
        region: props.region,
        distributionId: props.distributionId,
        distributionDomainName: props.distributionDomainName,
      }),
    });
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `edgelock deploys ${props.project}/${props.environment} from the tools account`,
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify(
        props.organizationId
          ? withPrincipalOrg(deployRoleTrustPolicy({ trustedRoleArn: props.trustedRoleArn }), props.organizationId)
          : deployRoleTrustPolicy({ trustedRoleArn: props.trustedRoleArn }),
      ),
    });
    new IamRolePolicy(this, 'permissions', {
      role: this.role.id,
      name: 'deploy-site',
      policy: JSON.stringify(
        deployRolePermissions({
          bucketArn: props.bucketArn,
          distributionArn: props.distributionArn,
          kmsKeyArn: props.kmsKeyArn,
          requireBucketOwnerFullControl: props.requireBucketOwnerFullControl,
          siteParameterArn: `arn:aws:ssm:${props.region}:${props.accountId}:parameter${parameterName}`,
        }),
      ),
    });
  }
}
