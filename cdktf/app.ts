/** Builds the edgelock stacks for a resolved config: `<project>-tools` and one `<project>-<env>` per environment. */
import path from 'node:path';
import type { App } from 'cdktf';
import type { ResolvedConfig } from '../src/config/schema';
import { ConfigError, type ConfigIssue } from '../src/errors';
import { BuildArtifacts } from './artifacts';
import { defaultCertificateMessage, needsOwnCertificate } from './certificate-check';
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
    if (needsOwnCertificate(config, env)) {
      issues.push({ path: `environments.${env.name}.domain`, message: defaultCertificateMessage(env.name) });
    }
  }
  if (issues.length) throw new ConfigError(config.configPath, issues);
}

/** Where the build is: the folder `edgelock build` wrote (its manifest.json and zips). */
export interface StacksBuildOptions {
  /** The build folder, absolute or relative to the working directory. @default 'dist' */
  readonly dist?: string;
}

/**
 * Adds the tools stack and one stack per environment to `app`, for `config` (as `loadConfig`
 * returns it) and the build in `dist`. The build is checked against its manifest first: a missing
 * or stale build fails here (BUILD_MISSING, BUILD_STALE), not at deploy.
 */
export function createStacks(app: App, config: ResolvedConfig, build?: StacksBuildOptions | BuildArtifacts): EdgelockStacks {
  const artifacts = build instanceof BuildArtifacts ? build : BuildArtifacts.load(path.resolve(build?.dist ?? 'dist'), config);
  checkStackSettings(config);
  const tools = new ToolsStack(app, `${config.project}-tools`, { config, artifacts });
  const environments: Record<string, EnvironmentStack> = {};
  for (const env of Object.values(config.environments)) {
    environments[env.name] = new EnvironmentStack(app, `${config.project}-${env.name}`, { config, env, artifacts });
  }
  return { tools, environments };
}
