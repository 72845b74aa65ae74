/**
 * The pipeline's deploy function: a CodePipeline Lambda invoke action. It reads the input artifact
 * with the job's artifact credentials, assumes the environment's deploy role, deploys, and reports
 * PutJobSuccessResult or PutJobFailureResult with a message that says what went wrong.
 *
 * The config is baked in at build time; the action's UserParameters name the environment (a plain
 * name such as "dev", or the JSON the CDKTF pipeline passes: env, roleArn, bucket, region,
 * siteParameter, adopt). When the baked config has no distribution ID yet, it is read from the
 * environment's SSM site parameter with the deploy role.
 *
 * Invoked directly with `{"action":"rollback","env":"dev"}` instead of a job, the same function
 * rolls the environment back (rollback-lambda.ts): no pipeline run, no artifact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodePipelineClient, PutJobFailureResultCommand, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { CodePipelineEvent } from 'aws-lambda';
import type { ResolvedConfig } from '../../config/schema';
import { EdgelockError } from '../../errors';
import { downloadArtifact, extractZip } from './artifact';
import { assumeRole, roleAccount } from './clients';
import { readLastRecord } from './read';
import type { S3Io } from './s3-io';
import { readSiteParameter } from './site-parameter';
import { deploySite, type DeployOptions, type DeploySummary } from './index';
import { rollbackSite, RollbackError, type RollbackOptions, type RollbackSummary } from './rollback';
import { isRollbackInvocation, parseRollbackInvocation, rollbackOptionsOf, type RollbackInvocation, type RollbackInvocationResult } from './rollback-lambda';

export interface LambdaDeps {
  readonly codepipeline?: CodePipelineClient;
  /** S3 client for the artifact bucket, built from the job's artifact credentials. */
  readonly artifactS3?: (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => S3Client;
  readonly sts?: STSClient;
  /** Extra deploy options (tests). */
  readonly deployOptions?: Partial<DeployOptions>;
  /** Extra rollback options (tests). */
  readonly rollbackOptions?: Partial<RollbackOptions>;
}

/** What the pipeline's deploy action passes (see docs/cdktf.md); only `env` is required. */
export interface PipelineParameters {
  readonly env: string;
  /** The environment's deploy role. @default arn:aws:iam::<account>:role/<deploy.roleName> */
  readonly roleArn?: string;
  /** Must match the config's bucket for `env` (a mismatch means a stale build). */
  readonly bucket?: string;
  readonly region?: string;
  /** SSM parameter with the distribution ID, read when the config has none. */
  readonly siteParameter?: string;
  /**
   * Adopt the bucket (under deploy.prefix) on a deploy into a bucket with no deploy record yet, as
   * `edgelock deploy --adopt` does; ignored once a record exists. @default config.deploy.pipelineAdopt
   */
  readonly adopt?: boolean;
}

/** Reads UserParameters: an environment name ("dev") or JSON ({"env":"dev", ...}). */
export function parseUserParameters(config: ResolvedConfig, raw: string | undefined): PipelineParameters {
  const text = (raw ?? '').trim();
  let params: PipelineParameters = { env: text };
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const str = (k: string): string | undefined => (typeof json[k] === 'string' ? (json[k] as string) : undefined);
      params = {
        env: str('env') ?? '',
        ...(str('roleArn') ? { roleArn: str('roleArn') } : {}),
        ...(str('bucket') ? { bucket: str('bucket') } : {}),
        ...(str('region') ? { region: str('region') } : {}),
        ...(str('siteParameter') ? { siteParameter: str('siteParameter') } : {}),
        ...(json.adopt !== undefined ? { adopt: json.adopt as boolean } : {}),
      };
    } catch {
      throw new EdgelockError(`UserParameters is not valid JSON: ${text.slice(0, 100)}; use an environment name such as "dev" or {"env":"dev"}`, { code: 'DEPLOY_REFUSED' });
    }
    if (params.adopt !== undefined && typeof params.adopt !== 'boolean') {
      throw new EdgelockError(`UserParameters "adopt" must be true or false (got ${JSON.stringify(params.adopt)})`, { code: 'DEPLOY_REFUSED' });
    }
  }
  if (!params.env) throw new EdgelockError('the action\'s UserParameters must name the environment to deploy, e.g. "dev"', { code: 'DEPLOY_REFUSED' });
  const env = config.environments[params.env];
  if (!env) {
    throw new EdgelockError(`UserParameters names environment "${params.env}", but this deploy function was built with ${Object.keys(config.environments).map((n) => `"${n}"`).join(', ')}; rebuild it (edgelock build) after changing the config`, { code: 'DEPLOY_REFUSED' });
  }
  if (params.bucket && params.bucket !== env.bucket) {
    throw new EdgelockError(`UserParameters name bucket ${params.bucket} for "${env.name}", but this deploy function was built for ${env.bucket}; rebuild it (edgelock build) and redeploy the pipeline`, { code: 'DEPLOY_REFUSED' });
  }
  return params;
}

/** The environment named by UserParameters. */
export function environmentFromUserParameters(config: ResolvedConfig, raw: string | undefined): string {
  return parseUserParameters(config, raw).env;
}

const DISTRIBUTION_ID = /^E[A-Z0-9]{7,20}$/;

/** The config with the environment's distribution ID filled in from its site parameter, when the config has none. */
async function withSiteParameter(config: ResolvedConfig, params: Pick<PipelineParameters, 'env' | 'siteParameter' | 'region'>, credentials: AwsCredentialIdentity): Promise<ResolvedConfig> {
  const env = config.environments[params.env]!;
  if (env.distributionId || !params.siteParameter) return config;
  const site = await readSiteParameter(params.siteParameter, { region: params.region ?? env.region, credentials });
  if (site.bucket && site.bucket !== env.bucket) {
    throw new EdgelockError(`the site parameter ${params.siteParameter} names bucket ${site.bucket}, but this deploy function was built for ${env.bucket}; rebuild it (edgelock build)`, { code: 'DEPLOY_REFUSED' });
  }
  if (!site.distributionId) return config;
  if (!DISTRIBUTION_ID.test(site.distributionId)) throw new EdgelockError(`the site parameter ${params.siteParameter} holds an invalid distribution ID "${site.distributionId}"`, { code: 'DEPLOY_REFUSED' });
  return { ...config, environments: { ...config.environments, [env.name]: { ...env, distributionId: site.distributionId } } };
}

/**
 * Whether this pipeline deploy adopts the bucket: only when adoption is asked for and the prefix
 * has no deploy record at all (an untrusted record counts as one: adopting past it is not safe).
 * Leaving `adopt` on in the pipeline therefore never deletes keys other processes write later.
 */
export async function decideAdoption(io: S3Io, prefix: string, wanted: boolean): Promise<{ readonly adopt: boolean; readonly note?: string }> {
  if (!wanted) return { adopt: false };
  const last = await readLastRecord(io, prefix);
  if (last.kind === 'none') return { adopt: true, note: `adopting s3://${io.bucket}/${prefix}: it has no deploy record yet, so keys the site does not have are pruned (except deploy.exclude)` };
  return {
    adopt: false,
    note: `adopt is on, but s3://${io.bucket}/${prefix} already has the deploy record ${last.key}: not adopting; pruning only what edgelock's records list. To adopt it anyway, run \`edgelock deploy --adopt\` once from the command line.`,
  };
}

/** A one-line summary for the CodePipeline console (at most 2,048 characters). */
export function pipelineSummary(s: DeploySummary): string {
  const c = s.counts;
  const inv = s.invalidation.id ? `invalidation ${s.invalidation.id}` : `no invalidation (${s.invalidation.skipped})`;
  const own = s.verification.ownership.skipped ? 'ownership check skipped' : `${s.verification.ownership.checked} objects verified`;
  return `${s.environment}: ${c.add} added, ${c.change} changed, ${c.unchanged} unchanged, ${c.deleted} deleted; ${inv}; ${own}`.slice(0, 2048);
}

/** The environment's deploy role (UserParameters' roleArn, or the config's role name), checked against its account, assumed. */
async function assumeEnvironmentRole(config: ResolvedConfig, params: { readonly env: string; readonly roleArn?: string }, deps: LambdaDeps, what: string): Promise<AwsCredentialIdentity> {
  const env = config.environments[params.env]!;
  const roleArn = params.roleArn ?? `arn:aws:iam::${env.accountId}:role/${config.deploy.roleName}`;
  if (roleAccount(roleArn) !== env.accountId) {
    throw new EdgelockError(`${what} names role ${roleArn}, which is not in environment "${env.name}"'s account ${env.accountId}`, { code: 'DEPLOY_REFUSED' });
  }
  const sts = deps.sts ?? new STSClient({ region: env.region });
  return assumeRole(sts, roleArn, `edgelock-deploy-${config.project}-${env.name}`);
}

/** A rollback invoked directly (no pipeline run): the same `rollbackSite()` as `edgelock rollback`, through the deploy role. */
async function invokeRollback(config: ResolvedConfig, deps: LambdaDeps, event: Record<string, unknown>): Promise<RollbackInvocationResult> {
  let summary: RollbackSummary | undefined;
  try {
    const inv = parseRollbackInvocation(config, event);
    const credentials = await assumeEnvironmentRole(config, inv, deps, 'the rollback invocation');
    const effective = await withSiteParameter(config, inv, credentials);
    summary = await rollbackSite({
      config: effective,
      ...rollbackOptionsOf(inv),
      credentials,
      onEvent: (e) => {
        if (e.type === 'warning') console.warn(`warning: ${e.message}`);
      },
      ...deps.rollbackOptions,
    });
    console.log(JSON.stringify(summary));
    return { ok: true, summary };
  } catch (err) {
    const message = err instanceof EdgelockError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    console.error(message);
    const failed = err instanceof RollbackError ? err.summary : summary;
    return { ok: false, code: err instanceof EdgelockError ? err.code : 'ROLLBACK_FAILED', error: message, ...(failed ? { summary: failed } : {}) };
  }
}

/** What the function is invoked with: a CodePipeline job (a deploy), or a rollback. */
export type DeployFunctionEvent = CodePipelineEvent | RollbackInvocation;

export function createHandler(config: ResolvedConfig, deps: LambdaDeps = {}): (event: DeployFunctionEvent, context?: { awsRequestId?: string }) => Promise<void | RollbackInvocationResult> {
  const deploy = pipelineDeploy(config, deps);
  return async (event, context) => {
    if (isRollbackInvocation(event)) return invokeRollback(config, deps, event as unknown as Record<string, unknown>);
    if (typeof event !== 'object' || event === null || !('CodePipeline.job' in event)) {
      return { ok: false, code: 'USAGE', error: 'this function takes a CodePipeline job (a deploy) or {"action":"rollback","env":"<environment>"} (a rollback)' };
    }
    return deploy(event, context);
  };
}

function pipelineDeploy(config: ResolvedConfig, deps: LambdaDeps): (event: CodePipelineEvent, context?: { awsRequestId?: string }) => Promise<void> {
  return async (event, context) => {
    const job = event['CodePipeline.job'];
    const codepipeline = deps.codepipeline ?? new CodePipelineClient({});
    const work = mkdtempSync(path.join(os.tmpdir(), 'edgelock-artifact-'));
    try {
      const params = parseUserParameters(config, job.data.actionConfiguration.configuration.UserParameters);
      const env = config.environments[params.env]!;
      // Checked before the artifact is read: a role in another account fails the job at once.
      const roleArn = params.roleArn ?? `arn:aws:iam::${env.accountId}:role/${config.deploy.roleName}`;
      if (roleAccount(roleArn) !== env.accountId) {
        throw new EdgelockError(`UserParameters name role ${roleArn}, which is not in environment "${env.name}"'s account ${env.accountId}`, { code: 'DEPLOY_REFUSED' });
      }
      const input = job.data.inputArtifacts[0];
      if (!input) throw new EdgelockError('the deploy action has no input artifact: give it the build output (the site) as its input', { code: 'DEPLOY_REFUSED' });
      const creds = job.data.artifactCredentials;
      const artifactS3 = deps.artifactS3?.(creds) ?? new S3Client({ credentials: creds });
      const zip = await downloadArtifact(artifactS3, input.location.s3Location.bucketName, input.location.s3Location.objectKey);
      const files = await extractZip(zip, work);
      if (files === 0) throw new EdgelockError(`the input artifact "${input.name}" is empty: nothing to deploy`, { code: 'DEPLOY_REFUSED' });
      const credentials = await assumeEnvironmentRole(config, params, deps, 'UserParameters');
      const effective = await withSiteParameter(config, params, credentials);
      const s3 = deps.deployOptions?.clients?.s3 ?? new S3Client({ region: env.region, credentials });
      const adoption = await decideAdoption({ s3, bucket: env.bucket, attempts: config.deploy.maxAttempts }, config.deploy.prefix, params.adopt ?? config.deploy.pipelineAdopt);
      if (adoption.note) console.warn(`${adoption.adopt ? 'note' : 'warning'}: ${adoption.note}`);
      const summary = await deploySite({
        config: effective,
        env: env.name,
        dir: path.join(work, config.deploy.artifactDir),
        credentials,
        adopt: adoption.adopt,
        onEvent: (e) => {
          if (e.type === 'warning') console.warn(`warning: ${e.message}`);
        },
        ...deps.deployOptions,
      });
      console.log(JSON.stringify(summary));
      await codepipeline.send(
        new PutJobSuccessResultCommand({
          jobId: job.id,
          executionDetails: { summary: pipelineSummary(summary), percentComplete: 100, ...(summary.invalidation.id ? { externalExecutionId: summary.invalidation.id } : {}) },
        }),
      );
    } catch (err) {
      const message = err instanceof EdgelockError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
      console.error(message);
      await codepipeline.send(
        new PutJobFailureResultCommand({
          jobId: job.id,
          failureDetails: { type: 'JobFailed', message: message.slice(0, 5000), ...(context?.awsRequestId ? { externalExecutionId: context.awsRequestId } : {}) },
        }),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
}
