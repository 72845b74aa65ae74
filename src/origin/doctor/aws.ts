/**
 * The AWS clients the doctor uses, and one wrapper that turns every call into a value or a
 * classified answer (refused, not found, other) with a line of evidence. Three outcomes never
 * blur: an answer from AWS is a value or a classified error; a refusal names the action and the
 * kind of policy that refused it; AWS not reached at all (network, endpoint, missing or expired
 * credentials) is {@link AwsUnreachableError}, which stops the whole run.
 */
import { NETWORK_MESSAGE, unreachedReason } from '../s3/errors';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { errorName, httpStatus, isServiceError, NOT_FOUND } from '../s3/errors';
import { describeRefusal, parseRefusal, type Refusal } from './denial';
import { needsPathStyle, type Endpoints, type Service } from './endpoints';

export interface DoctorClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly cloudfront: CloudFrontClient;
  readonly organizations: OrganizationsClient;
  readonly kms: KMSClient;
  readonly sts: STSClient;
  /** In us-east-1, where Lambda@Edge functions live (for --replay). */
  readonly lambda: LambdaClient;
}

/**
 * Clients for one environment: S3 and KMS in the bucket's region, global services (and Lambda@Edge's Lambda) in us-east-1,
 * each at AWS or at the endpoint given for it (see endpoints.ts). S3 at an IP address or localhost
 * is addressed path-style; S3 Control at a given endpoint is sent there as it is, without the
 * account ID AWS's own S3 Control puts in front of the host name.
 */
export function createClients(region: string, endpoints: Endpoints = {}): DoctorClients {
  const at = (s: Service) => (endpoints[s] ? { endpoint: endpoints[s] } : {});
  const s3control = endpoints.s3control;
  return {
    s3: new S3Client({ region, followRegionRedirects: true, ...at('s3'), ...(endpoints.s3 && needsPathStyle(endpoints.s3) ? { forcePathStyle: true } : {}) }),
    s3control: new S3ControlClient({ region, ...(s3control ? { endpointProvider: () => ({ url: new URL(s3control) }) } : {}) }),
    cloudfront: new CloudFrontClient({ region: 'us-east-1', ...at('cloudfront') }),
    organizations: new OrganizationsClient({ region: 'us-east-1', ...at('organizations') }),
    kms: new KMSClient({ region, ...at('kms') }),
    sts: new STSClient({ region, ...at('sts') }),
    lambda: new LambdaClient({ region: 'us-east-1', ...at('lambda') }),
  };
}

export type Fetched<T> =
  | { readonly ok: true; readonly value: T; readonly call: string }
  | {
      readonly ok: false;
      readonly call: string;
      /** The AWS error code, e.g. AccessDenied, NoSuchBucketPolicy. */
      readonly code: string;
      readonly status?: number;
      /** The caller was refused: the doctor cannot tell, so the check is `unknown`. */
      readonly denied: boolean;
      /** What the refusal says: the action and the kind of policy (set exactly when `denied`). */
      readonly refusal?: Refusal;
      readonly message: string;
    };

/** AWS was not reached, or did not accept the credentials: no answer about the resources at all. */
export class AwsUnreachableError extends Error {
  constructor(
    readonly call: string,
    /** Why: `network` (no HTTP answer), `credentials` (missing, expired or rejected). */
    readonly why: 'network' | 'credentials',
    readonly detail: string,
    override readonly cause: unknown,
  ) {
    super(`${call}: ${detail}`);
    this.name = 'AwsUnreachableError';
  }
}

/** Answers that mean the credentials, not the resource, were refused: nothing else can be read either. */
const CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'InvalidToken',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'TokenRefreshRequired',
  'RequestExpired',
  'AuthFailure',
]);

/** The IAM action behind an API call, where its name differs (for refusals that name none). */
const IAM_ACTION: Record<string, string> = {
  's3:HeadObject': 's3:GetObject',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetObjectLockConfiguration': 's3:GetBucketObjectLockConfiguration',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  'cloudfront:GetCloudFrontOriginAccessIdentity': 'cloudfront:GetCloudFrontOriginAccessIdentity',
  'lambda:Invoke': 'lambda:InvokeFunction',
  's3control:ListAccessPoints': 's3:ListAccessPoints',
  's3control:GetAccessPointPolicy': 's3:GetAccessPointPolicy',
  's3control:ListAccessPointsForObjectLambda': 's3:ListAccessPointsForObjectLambda',
  's3control:GetAccessPointConfigurationForObjectLambda': 's3:GetAccessPointConfigurationForObjectLambda',
  's3control:GetAccessPointPolicyForObjectLambda': 's3:GetAccessPointPolicyForObjectLambda',
};

/** `s3:GetBucketAcl(Bucket=b)` → `s3:GetBucketAcl`, in IAM's spelling. */
export function actionOfCall(call: string): string {
  const api = call.replace(/\(.*$/, '');
  return IAM_ACTION[api] ?? api;
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'UnauthorizedOperation', 'AllAccessDisabled']);

/** Runs one AWS call; an error answered by AWS becomes a value, anything else is thrown. */
export async function fetchAws<T>(call: string, fn: () => Promise<T>): Promise<Fetched<T>> {
  try {
    return { ok: true, value: await fn(), call };
  } catch (err) {
    // Only answers from AWS become findings; missing credentials, network failures and bugs propagate.
    const code = errorName(err) ?? 'Error';
    const message = (err as { message?: string }).message ?? code;
    if (!isServiceError(err)) {
      const why = unreachedReason(err);
      // Anything else (a policy that is not JSON, a bug) is not about reaching AWS: it propagates.
      if (!why) throw err;
      const sys = (err as { code?: string }).code ?? NETWORK_MESSAGE.exec(message)?.[0].split(' ')[1] ?? code;
      throw new AwsUnreachableError(call, why, `${sys}: ${message.replace(/^AWS SDK error wrapper for (?:Error: )?/, '')}`, err);
    }
    if (CREDENTIALS.has(code)) throw new AwsUnreachableError(call, 'credentials', `${code}: ${message}`, err);
    const status = httpStatus(err);
    const denied = DENIED.has(code) || (status === 403 && code !== NOT_FOUND.head);
    return {
      ok: false,
      call,
      code,
      ...(status === undefined ? {} : { status }),
      denied,
      ...(denied ? { refusal: parseRefusal(message, actionOfCall(call)) } : {}),
      message,
    };
  }
}

/** The evidence line for a fetched value. */
export function seenError(f: Fetched<unknown>): string {
  if (f.ok) return 'ok';
  const said = `${f.code}${f.status ? ` (HTTP ${f.status})` : ''}${f.message && f.message !== f.code ? `: ${f.message}` : ''}`;
  // A refusal names the action and the policy kind when AWS's message does not already.
  return f.refusal && !f.refusal.policy ? `${said} (refused ${f.refusal.action ?? 'the call'}; ${describeRefusal(f.refusal)})` : said;
}
