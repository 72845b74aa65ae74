/** `<project>-tools`: the CI/CD account's pipeline and deploy function. */
import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import type { ResolvedConfig } from '../src/config/schema';
import { ConfigError } from '../src/errors';
import { AccountStack } from './account-stack';
import type { BuildArtifacts } from './artifacts';
import { siteParameterName } from './deploy-access';
import { Pipeline } from './pipeline';

export interface ToolsStackProps {
  readonly config: ResolvedConfig;
  readonly artifacts: BuildArtifacts;
}

export class ToolsStack extends AccountStack {
  readonly pipeline?: Pipeline;

  constructor(scope: Construct, id: string, props: ToolsStackProps) {
    const { config } = props;
    super(scope, id, { config, accountId: config.tools.accountId, region: config.tools.region });
    const settings = config.stacks.pipeline;
    if (!settings) return;
    if (!config.tools.repository) {
      throw new ConfigError(config.configPath, [
        { path: 'tools.repository', message: 'the pipeline builds a Git repository: set tools.repository ("owner/name"), or set stacks.pipeline: false' },
      ]);
    }
    this.pipeline = new Pipeline(this, 'pipeline', {
      project: config.project,
      accountId: config.tools.accountId,
      region: config.tools.region,
      repository: config.tools.repository,
      branch: config.tools.branch,
      connectionArn: config.tools.connectionArn,
      environments: Object.values(config.environments).map((e) => ({
        name: e.name,
        accountId: e.accountId,
        region: e.region,
        bucket: e.bucket,
        siteParameter: siteParameterName(config.project, e.name),
      })),
      deployRoleName: config.deploy.roleName,
      deployFunction: props.artifacts.fn('deploy', 'the pipeline\'s Deploy stages invoke (or set stacks.pipeline: false)'),
      logRetentionDays: config.stacks.logging.logGroupRetentionDays,
      ...settings,
    });
    new TerraformOutput(this, 'pipeline-name', { value: this.pipeline.pipeline.name });
    new TerraformOutput(this, 'artifact-bucket', { value: this.pipeline.artifactBucket.bucketName });
  }
}
