/**
 * The pipeline's deploy function: a CodePipeline Lambda invoke action. It reads the input artifact
 * with the job's artifact credentials, assumes the environment's deploy role, deploys, and reports
 * PutJobSuccessResult or PutJobFailureResult with a message that says what went wrong.
 *
 * The config is baked in at build time; the environment name is the action's UserParameters
 * (a plain name such as "dev", or JSON `{"env":"dev"}`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodePipelineClient, PutJobFailureResultCommand, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import type { CodePipelineEvent } from 'aws-lambda';
import type { ResolvedConfig } from '../../config/schema';
import { EdgelockError } from '../../errors';
import { downloadArtifact, extractZip } from './artifact';
import { deploySite, type DeployOptions, type DeploySummary } from './index';

export interface LambdaDeps {
  readonly codepipeline?: CodePipelineClient;
  /** S3 client for the artifact bucket, built from the job's artifact credentials. */
  readonly artifactS3?: (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => S3Client;
  /** The deployer (tests replace the AWS clients through `clients`). */
  readonly deployOptions?: Partial<DeployOptions>;
}

/** The environment named by UserParameters: "dev" or {"env":"dev"}. */
export function environmentFromUserParameters(config: ResolvedConfig, raw: string | undefined): string {
  const text = (raw ?? '').trim();
  let name = text;
  if (text.startsWith('{')) {
    try {
      name = String((JSON.parse(text) as { env?: unknown }).env ?? '');
    } catch {
      throw new EdgelockError(`UserParameters is not valid JSON: ${text.slice(0, 100)}; use an environment name such as "dev" or {"env":"dev"}`);
    }
  }
  if (!name) throw new EdgelockError('the action\'s UserParameters must name the environment to deploy, e.g. "dev"');
  if (!config.environments[name]) {
    throw new EdgelockError(`UserParameters names environment "${name}", but this deploy function was built with ${Object.keys(config.environments).map((n) => `"${n}"`).join(', ')}; rebuild it (edgelock build) after changing the config`);
  }
  return name;
}

/** A one-line summary for the CodePipeline console (at most 2,048 characters). */
export function pipelineSummary(s: DeploySummary): string {
  const c = s.counts;
  const inv = s.invalidation.id ? `invalidation ${s.invalidation.id}` : `no invalidation (${s.invalidation.skipped})`;
  const own = s.verification.ownership.skipped ? 'ownership check skipped' : `${s.verification.ownership.checked} objects verified`;
  return `${s.environment}: ${c.add} added, ${c.change} changed, ${c.unchanged} unchanged, ${c.deleted} deleted; ${inv}; ${own}`.slice(0, 2048);
}

export function createHandler(config: ResolvedConfig, deps: LambdaDeps = {}): (event: CodePipelineEvent, context?: { awsRequestId?: string }) => Promise<void> {
  return async (event, context) => {
    const job = event['CodePipeline.job'];
    const codepipeline = deps.codepipeline ?? new CodePipelineClient({});
    const work = mkdtempSync(path.join(os.tmpdir(), 'edgelock-artifact-'));
    try {
      const envName = environmentFromUserParameters(config, job.data.actionConfiguration.configuration.UserParameters);
      const env = config.environments[envName]!;
      const input = job.data.inputArtifacts[0];
      if (!input) throw new EdgelockError('the deploy action has no input artifact: give it the build output (the site) as its input');
      const creds = job.data.artifactCredentials;
      const artifactS3 = deps.artifactS3?.(creds) ?? new S3Client({ credentials: creds });
      const zip = await downloadArtifact(artifactS3, input.location.s3Location.bucketName, input.location.s3Location.objectKey);
      const files = await extractZip(zip, work);
      if (files === 0) throw new EdgelockError(`the input artifact "${input.name}" is empty: nothing to deploy`);
      const summary = await deploySite({
        config,
        env: envName,
        dir: path.join(work, config.deploy.artifactDir),
        roleArn: `arn:aws:iam::${env.accountId}:role/${config.deploy.roleName}`,
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
