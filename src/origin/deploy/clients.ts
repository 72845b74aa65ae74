/**
 * AWS clients for a deploy: S3 in the bucket's region (or any endpoint, path-style), CloudFront,
 * and STS, optionally through an assumed role. CloudFront and STS load on first use: a deploy to
 * a plain S3 endpoint never pays for them (loading an SDK client costs ~100-150 ms).
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { EdgelockError, type ErrorCode } from '../../errors';

export interface DeployClients {
  readonly s3: S3Client;
  readonly cloudfront: () => Promise<CloudFrontClient>;
  readonly sts: () => Promise<STSClient>;
}

/** Ready-made clients a caller may pass (tests, the Lambda). */
export interface GivenClients {
  readonly s3?: S3Client;
  readonly cloudfront?: CloudFrontClient;
  readonly sts?: STSClient;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export interface ClientOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: AwsCredentialIdentity;
  readonly maxAttempts: number;
  /** A connection not made, or a request that receives nothing, for this long fails (as a network error). */
  readonly timeoutMs?: number;
}

export function createClients(o: ClientOptions, given: GivenClients = {}): DeployClients {
  const common = {
    maxAttempts: o.maxAttempts,
    ...(o.credentials ? { credentials: o.credentials } : {}),
    // The SDK sets no idle timeout: without one, an endpoint that accepts and never answers holds a deploy forever.
    ...(o.timeoutMs ? { requestHandler: { connectionTimeout: o.timeoutMs, socketTimeout: o.timeoutMs } } : {}),
  };
  const s3 = given.s3 ?? new S3Client({
    ...common,
    // A deploy sends thousands of the same few commands: resolve each one's middleware once, not per
    // request (about a third of the SDK's CPU per PUT).
    cacheMiddleware: true,
    region: o.region,
    ...(o.endpoint
      ? { endpoint: o.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
  return {
    s3,
    cloudfront: once(async () => given.cloudfront ?? new (await import('@aws-sdk/client-cloudfront')).CloudFrontClient({ ...common, region: 'us-east-1' })),
    sts: once(async () => given.sts ?? new (await import('@aws-sdk/client-sts')).STSClient({ ...common, region: o.region })),
  };
}

export interface ConnectOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: AwsCredentialIdentity;
  /** deploy.requestTimeoutSeconds, in ms. */
  readonly timeoutMs?: number;
  /** Assume this role first (its account was checked against the environment's). */
  readonly roleArn?: string;
  readonly sessionName: string;
  readonly given?: GivenClients;
}

/** What a deploy or a rollback is given to reach an environment's bucket (DeployOptions, RollbackOptions). */
export interface ReachOptions {
  /** Any S3 endpoint (e.g. s3rver on loopback): path-style, no CloudFront. */
  readonly endpoint?: string;
  /** Explicit credentials (otherwise the SDK's default chain, or the assumed role's). */
  readonly credentials?: AwsCredentialIdentity;
  /** Role to assume first (its account must be the environment's). */
  readonly roleArn?: string;
  /** Ready-made clients (tests, the Lambda). */
  readonly clients?: GivenClients;
}

/** The clients for one environment's bucket, the session named for the project, the environment and what runs. */
export function connectEnvironment(
  o: ReachOptions,
  env: { readonly name: string; readonly region: string },
  config: { readonly project: string; readonly deploy: { readonly requestTimeoutSeconds: number } },
  what: 'deploy' | 'deploys' | 'rollback',
): Promise<DeployClients> {
  return connect({
    region: env.region,
    timeoutMs: config.deploy.requestTimeoutSeconds * 1000,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.roleArn ? { roleArn: o.roleArn } : {}),
    sessionName: `edgelock-${what}-${config.project}-${env.name}`,
    ...(o.clients ? { given: o.clients } : {}),
  });
}

/** The domain name of a distribution (for the probe), or `code` when CloudFront gives none. */
export async function distributionDomain(clients: DeployClients, id: string, code: ErrorCode): Promise<string> {
  const { GetDistributionCommand } = await import('@aws-sdk/client-cloudfront');
  const out = await (await clients.cloudfront()).send(new GetDistributionCommand({ Id: id }));
  const domain = out.Distribution?.DomainName;
  if (!domain) throw new EdgelockError(`distribution ${id} has no domain name`, { code });
  return domain;
}

/** The deploy's clients, through the deploy role when one is given. */
export async function connect(o: ConnectOptions): Promise<DeployClients> {
  let credentials = o.credentials;
  const timeout = o.timeoutMs ? { timeoutMs: o.timeoutMs } : {};
  if (o.roleArn) {
    const base = await createClients({ region: o.region, maxAttempts: 3, ...timeout, ...(credentials ? { credentials } : {}) }, o.given).sts();
    credentials = await assumeRole(base, o.roleArn, o.sessionName);
  }
  return createClients({ region: o.region, maxAttempts: 3, ...timeout, ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...(credentials ? { credentials } : {}) }, o.given);
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** The account a role ARN belongs to, or a usage error naming the bad value. */
export function roleAccount(roleArn: string): string {
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw new EdgelockError(`"${roleArn}" is not an IAM role ARN; expected arn:aws:iam::123456789012:role/edgelock-deploy`, { code: 'USAGE', exitCode: 2 });
  return m[1]!;
}

/** Assumes the deploy role for one hour and returns its credentials. */
export async function assumeRole(sts: STSClient, roleArn: string, sessionName: string): Promise<AwsCredentialIdentity> {
  roleAccount(roleArn);
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64), DurationSeconds: 3600 }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  } catch (err) {
    throw new EdgelockError(
      `could not assume ${roleArn}: ${(err as Error).message}. The role must trust the deploying account (the tools account) and allow sts:AssumeRole from it.`,
      { code: 'DEPLOY_REFUSED', cause: err },
    );
  }
}

/** The caller's account, or undefined when STS cannot say (no credentials for STS, a local endpoint). */
export async function callerAccount(sts: STSClient): Promise<string | undefined> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch {
    return undefined;
  }
}
