/**
 * Checks and resolves `deploySite()`'s options against the config, before any request: the
 * environment, the concurrency, the deploy role's account, and what the planner needs.
 */
import type { ResolvedConfig, ResolvedEnvironment } from '../../config/schema';
import { ConfigError, EdgelockError } from '../../errors';
import { roleAccount } from './clients';
import { newDeployId } from './record';
import type { PlanSettings } from './plan';
import type { DeployOptions } from './types';

export interface ResolvedDeploy {
  readonly env: ResolvedEnvironment;
  readonly concurrency: number;
  /** The deploy role's account, when a role is given (it is the environment's). */
  readonly roleAccountId?: string;
  readonly plan: PlanSettings;
}

function pickEnvironment(config: ResolvedConfig, name: string): ResolvedEnvironment {
  const env = config.environments[name];
  if (!env) {
    throw new ConfigError(config.configPath, [
      { path: 'environments', message: `no environment "${name}"; this config has ${Object.keys(config.environments).map((n) => `"${n}"`).join(', ')}` },
    ]);
  }
  return env;
}

/** Resolves the options (pure: `environment` stands for process.env); throws ConfigError or a USAGE error. */
export function resolveDeployOptions(options: DeployOptions, environment: Readonly<Record<string, string | undefined>>, now: Date = new Date()): ResolvedDeploy {
  const { config } = options;
  const env = pickEnvironment(config, options.env);
  const settings = config.deploy;
  const concurrency = options.concurrency ?? settings.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new EdgelockError(`--concurrency must be a whole number from 1 to 256 (got ${String(options.concurrency)})`, { code: 'USAGE', exitCode: 2 });
  }
  let roleAccountId: string | undefined;
  if (options.roleArn) {
    roleAccountId = roleAccount(options.roleArn);
    if (roleAccountId !== env.accountId) {
      throw new EdgelockError(`--role-arn ${options.roleArn} is in account ${roleAccountId}, but environment "${env.name}" lives in ${env.accountId}: pass that account's deploy role (arn:aws:iam::${env.accountId}:role/${settings.roleName})`, { code: 'USAGE', exitCode: 2 });
    }
  }
  const verify = options.verify ?? true;
  const credentials = options.probeCredentials ?? environment[settings.verify.probeCredentialsEnv];
  return {
    env,
    concurrency,
    ...(roleAccountId ? { roleAccountId } : {}),
    plan: {
      env,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      dryRun: options.dryRun ?? false,
      prune: options.prune ?? true,
      verifyOwnership: verify && settings.verify.ownership,
      verifyProbe: verify && settings.verify.probe,
      invalidation: { maxPaths: settings.invalidation.maxPaths, wait: settings.invalidation.wait, waitSeconds: settings.invalidation.waitSeconds },
      deployId: newDeployId(now),
      prettyUrls: config.origin.prettyUrls,
      now,
      ...(settings.cacheControl ? { cacheControl: settings.cacheControl } : {}),
      allowSecrets: settings.allowSecrets,
      pruning: {
        prefix: settings.prefix,
        adopt: options.adopt ?? false,
        exclude: settings.exclude,
        maxDeletes: settings.maxDeletes,
        allowDeletes: options.allowDeletes ?? false,
      },
      probe: {
        paths: settings.verify.probePaths,
        attempts: settings.verify.probeAttempts,
        credentialsEnv: settings.verify.probeCredentialsEnv,
        ...(options.probeBaseUrl ? { baseUrl: options.probeBaseUrl } : {}),
        ...(credentials ? { credentials } : {}),
      },
    },
  };
}
