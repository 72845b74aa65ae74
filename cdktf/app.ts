/** Builds the edgelock stacks for a resolved config: `<project>-tools` and one `<project>-<env>` per environment. */
import type { App } from 'cdktf';
import type { ResolvedConfig } from '../src/config/schema';
import { ConfigError, type ConfigIssue } from '../src/errors';
import type { BuildArtifacts } from './artifacts';
import { EnvironmentStack } from './environment-stack';
import { ToolsStack } from './tools-stack';

export interface EdgelockStacks {
  readonly tools: ToolsStack;
  readonly environments: Readonly<Record<string, EnvironmentStack>>;
}

/** Settings the stacks cannot build, reported all at once. */
export function checkStackSettings(config: ResolvedConfig): void {
  const issues: ConfigIssue[] = [];
  for (const env of Object.values(config.environments)) {
    if (config.stacks.encryption === 'sse-kms' && env.originAccess === 'oai') {
      issues.push({
        path: `environments.${env.name}.originAccess`,
        message: 'stacks.encryption "sse-kms" needs originAccess "oac" (a legacy OAI cannot decrypt SSE-KMS objects)',
      });
    }
  }
  if (issues.length) throw new ConfigError(config.configPath, issues);
}

export function createStacks(app: App, config: ResolvedConfig, artifacts: BuildArtifacts): EdgelockStacks {
  checkStackSettings(config);
  const tools = new ToolsStack(app, `${config.project}-tools`, { config, artifacts });
  const environments: Record<string, EnvironmentStack> = {};
  for (const env of Object.values(config.environments)) {
    environments[env.name] = new EnvironmentStack(app, `${config.project}-${env.name}`, { config, env, artifacts });
  }
  return { tools, environments };
}
