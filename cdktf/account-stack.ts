/**
 * The base of every edgelock stack: one AWS account, reached by assuming the provisioning role,
 * with an aliased us-east-1 provider (edge functions, WAF, ACM), and remote state when configured.
 */
import { Annotations, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ResolvedConfig } from '../src/config/schema';
import { roleArn } from '../src/origin/policy';

export interface AccountStackProps {
  readonly config: ResolvedConfig;
  readonly accountId: string;
  readonly region: string;
}

export class AccountStack extends TerraformStack {
  readonly provider: AwsProvider;
  /** The same account in us-east-1. */
  readonly usEast1: AwsProvider;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    const { config } = props;
    const common = {
      assumeRole: [{ roleArn: roleArn(props.accountId, config.provisionRoleName), sessionName: `edgelock-${id}`.slice(0, 64) }],
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags: { 'edgelock:project': config.project, 'edgelock:stack': id } }],
    };
    this.provider = new AwsProvider(this, 'aws', { ...common, region: props.region });
    this.usEast1 = new AwsProvider(this, 'aws-us-east-1', { ...common, region: 'us-east-1', alias: 'us_east_1' });

    if (config.backend) {
      const backend = new S3Backend(this, {
        bucket: config.backend.bucket,
        key: `${config.backend.keyPrefix}/${id}.tfstate`,
        region: config.backend.region,
        encrypt: true,
        ...(config.backend.lockTable ? { dynamodbTable: config.backend.lockTable } : {}),
      });
      // Without a DynamoDB table, S3's own lock file (Terraform >= 1.10, OpenTofu >= 1.10).
      if (!config.backend.lockTable) backend.addOverride('use_lockfile', true);
    } else {
      Annotations.of(this).addWarning(
        `no "backend" in ${config.configPath}: Terraform state for ${id} stays on this machine; set backend: { bucket, region } to keep it in S3`,
      );
    }
  }
}
