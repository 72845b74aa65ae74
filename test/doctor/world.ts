/**
 * An AWS "world" for the doctor's tests, described as data, and the aws-sdk-client-mock stubs
 * that answer exactly as AWS does (policies as JSON strings, errors with AWS's names and
 * HTTP status codes).
 */
import * as cloudfront from '@aws-sdk/client-cloudfront';
import { CloudFrontClient, CloudFrontServiceException, DescribeFunctionCommand, TestFunctionCommand, GetCachePolicyCommand, GetCloudFrontOriginAccessIdentityCommand, GetDistributionConfigCommand, GetOriginAccessControlCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import * as kmsExports from '@aws-sdk/client-kms';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, KMSServiceException } from '@aws-sdk/client-kms';
import * as lambdaExports from '@aws-sdk/client-lambda';
import { GetPolicyCommand, InvokeCommand, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import * as organizations from '@aws-sdk/client-organizations';
import { DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand, OrganizationsClient, OrganizationsServiceException } from '@aws-sdk/client-organizations';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetObjectAclCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type Grant,
} from '@aws-sdk/client-s3';
import * as s3controlExports from '@aws-sdk/client-s3-control';
import {
  GetAccessPointConfigurationForObjectLambdaCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyForObjectLambdaCommand,
  GetPublicAccessBlockCommand as GetAccountPabCommand,
  ListAccessPointsCommand,
  ListAccessPointsForObjectLambdaCommand,
  S3ControlClient,
  S3ControlServiceException,
} from '@aws-sdk/client-s3-control';
import * as stsExports from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import type { ResolvedEnvironment } from '../../src/config/schema';
import { toEdgeConfig } from '../../src/build/edge-config';
import type { EdgeConfig } from '../../src/edge/config';
import { runDoctor, type DoctorClients, type DoctorOptions, type DoctorReport } from '../../src/origin/doctor';
import { resolvedConfig, validConfig } from '../helpers/config';
import { accessDeniedMessage, awsError, connectionRefused, noCredentials, s3Error, s3HeadError } from '../helpers/aws-errors';

export const ACCOUNT = '333333333333';
export const TOOLS_ACCOUNT = '111111111111';
export const BUCKET = 'acme-web-prod-site-333333333333';
export const REGION = 'eu-west-1';
export const DIST = 'E2QWRUHAPOMQZL';
export const DIST_ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/${DIST}`;
export const OWNER_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const TOOLS_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
export const OAI_ID = 'E1SEEDOAI0ABCD';
export const OAI_CANONICAL = 'b970b42360b81c8ddbd79d2f5df0069ba9033c8a79655752abe380cd6d63ba8bcf23384d47e1e0f8b2d0cf2f1f8bb3ce';
export const OAC_ID = 'E3OACSITE0ABCD';
export const KMS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const ENV: ResolvedEnvironment = {
  name: 'prod',
  accountId: ACCOUNT,
  region: REGION,
  auth: true,
  originAccess: 'oac',
  bucket: BUCKET,
  bucketDomain: `${BUCKET}.s3.${REGION}.amazonaws.com`,
  distributionId: DIST,
};

export interface ObjectFacts {
  ownerId: string;
  size?: number;
  grants?: Grant[];
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
}

export interface OrgPolicy {
  id: string;
  name: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  target: string;
  content: object;
  awsManaged?: boolean;
}

export interface World {
  distribution: DistributionConfig | 'missing' | 'denied';
  oac?: { SigningBehavior: 'always' | 'never' | 'no-override' };
  oaiCanonical?: string;
  /** GetCloudFrontOriginAccessIdentity refused to the doctor, or the identity deleted. */
  oai?: 'denied' | 'missing';
  /** The policy document, or its raw text as GetBucketPolicy returns it, or null for none. */
  bucketPolicy: object | string | null;
  bucketOwnerId: string;
  bucketPab: { BlockPublicAcls: boolean; IgnorePublicAcls: boolean; BlockPublicPolicy: boolean; RestrictPublicBuckets: boolean } | null | 'denied';
  accountPab: World['bucketPab'];
  ownership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;
  objects: Record<string, ObjectFacts>;
  /** HeadObject refused to the doctor for every key (e.g. its role lacks s3:GetObject). */
  headObjectDenied?: boolean;
  defaultEncryption: { SSEAlgorithm: 'AES256' | 'aws:kms'; KMSMasterKeyID?: string } | null;
  kms?: { policy: object; manager: 'CUSTOMER' | 'AWS' };
  payer: 'BucketOwner' | 'Requester';
  callerAccount: string;
  /** Organization: the account's parent OU and the attached policies; 'denied' for a member account. */
  org: { ou: string; root: string; policies: OrgPolicy[] } | 'denied' | 'none';
  /** AWS never answers (a refused connection), or refuses the credentials, on every call. */
  failure?: 'unreachable' | 'expired-token' | 'no-credentials';
  /** Reads refused to the doctor's caller, and by which kind of policy ('bare': S3's plain "Access Denied"). */
  refuse?: Partial<Record<Read, Refusal>>;
  /** The bucket's region as GetBucketLocation answers it. @default REGION */
  bucketRegion?: string;
  /** Headers the behaviours' cache policy puts in the cache key (and forwards). @default none (CachingOptimized) */
  cacheKeyHeaders?: string[];
  /**
   * CloudFront Functions by name, as their LIVE stage runs in TestFunction: the event object the
   * code returns for an event, or the error it throws.
   */
  cloudFrontFunctions?: Record<string, (event: CffEvent) => object>;
  /** Lambda functions by qualified ARN, as Invoke runs them: what the handler returns, or the error it throws. */
  lambdas?: Record<string, (event: { Records: [{ cf: { request: { uri: string } } }] }) => unknown>;
  /** The account's S3 access points in the region (ListAccessPoints), each with its policy (null: none). */
  accessPoints?: { name: string; alias: string; bucket: string; networkOrigin?: 'Internet' | 'VPC'; bucketAccountId?: string; policy: object | null }[];
  /** The account's S3 Object Lambda access points: the supporting access point (by name), the functions they invoke, their policy. */
  objectLambdas?: { name: string; alias: string; supportingAccessPoint: string; functionArns: string[]; policy: object | null }[];
  /** Lambda functions' resource-based policies, by the ARN GetPolicy is asked for (none: ResourceNotFoundException). */
  lambdaPolicies?: Record<string, object>;
  /** DescribeKey's answer when it is not the key's metadata. */
  describeKey?: 'NotFoundException' | 'AccessDeniedException';
}

/** A CloudFront Functions viewer-request event, as TestFunction is given it. */
export interface CffEvent {
  version: string;
  context: { eventType: string; distributionId: string };
  request: { method: string; uri: string; querystring: Record<string, { value: string }>; headers: Record<string, { value: string }>; cookies: object };
}

/** How a read is refused: S3's bare "Access Denied", or AWS's detailed message naming the kind of policy. */
export type Refusal = 'bare' | { policy: 'identity-based policy' | 'resource-based policy' | 'service control policy' | 'resource control policy' | 'permissions boundary'; explicit?: boolean };

/** Every read the doctor makes, by its IAM action, with the client and command that make it. */
export const READS = {
  'cloudfront:GetDistributionConfig': ['cloudfront', GetDistributionConfigCommand],
  'cloudfront:GetOriginAccessControl': ['cloudfront', GetOriginAccessControlCommand],
  'cloudfront:GetCloudFrontOriginAccessIdentity': ['cloudfront', GetCloudFrontOriginAccessIdentityCommand],
  'cloudfront:GetCachePolicy': ['cloudfront', GetCachePolicyCommand],
  'cloudfront:DescribeFunction': ['cloudfront', DescribeFunctionCommand],
  'cloudfront:TestFunction': ['cloudfront', TestFunctionCommand],
  'lambda:InvokeFunction': ['lambda', InvokeCommand],
  's3:ListAccessPoints': ['s3control', ListAccessPointsCommand],
  's3:GetAccessPointPolicy': ['s3control', GetAccessPointPolicyCommand],
  's3:ListAccessPointsForObjectLambda': ['s3control', ListAccessPointsForObjectLambdaCommand],
  's3:GetAccessPointConfigurationForObjectLambda': ['s3control', GetAccessPointConfigurationForObjectLambdaCommand],
  's3:GetAccessPointPolicyForObjectLambda': ['s3control', GetAccessPointPolicyForObjectLambdaCommand],
  'lambda:GetPolicy': ['lambda', GetPolicyCommand],
  's3:GetBucketPolicy': ['s3', GetBucketPolicyCommand],
  's3:GetBucketAcl': ['s3', GetBucketAclCommand],
  's3:GetBucketLocation': ['s3', GetBucketLocationCommand],
  's3:GetBucketPublicAccessBlock': ['s3', GetPublicAccessBlockCommand],
  's3:GetAccountPublicAccessBlock': ['s3control', GetAccountPabCommand],
  's3:GetBucketOwnershipControls': ['s3', GetBucketOwnershipControlsCommand],
  's3:ListBucket': ['s3', ListObjectsV2Command],
  's3:GetObjectAcl': ['s3', GetObjectAclCommand],
  's3:GetObject': ['s3', HeadObjectCommand],
  's3:GetEncryptionConfiguration': ['s3', GetBucketEncryptionCommand],
  's3:GetBucketRequestPayment': ['s3', GetBucketRequestPaymentCommand],
  's3:GetBucketObjectLockConfiguration': ['s3', GetObjectLockConfigurationCommand],
  'kms:DescribeKey': ['kms', DescribeKeyCommand],
  'kms:GetKeyPolicy': ['kms', GetKeyPolicyCommand],
  'organizations:ListParents': ['organizations', ListParentsCommand],
  'organizations:ListPoliciesForTarget': ['organizations', ListPoliciesForTargetCommand],
  'organizations:DescribePolicy': ['organizations', DescribePolicyCommand],
} as const;
export type Read = keyof typeof READS;

/** The error AWS answers `action` refused with, shaped as each service's wire answer is parsed. */
export function refusalError(action: Read, how: Refusal): Error {
  const [service] = READS[action];
  // A HEAD answer has no body: whatever refused it, the SDK sees only the 403.
  if (action === 's3:GetObject') return s3HeadError(403);
  const resource = service === 'lambda' ? `arn:aws:lambda:us-east-1:${ACCOUNT}:function:legacy-rewriter:9` : service === 'kms' ? KMS_KEY : service === 'cloudfront' ? DIST_ARN : service === 'organizations' ? `arn:aws:organizations::${TOOLS_ACCOUNT}:account/o-exampleorg/${ACCOUNT}` : `arn:aws:s3:::${BUCKET}`;
  const message = how === 'bare' ? 'Access Denied' : accessDeniedMessage({ action, resource, policy: how.policy, ...(how.explicit ? { explicit: true } : {}) });
  switch (service) {
    case 's3':
      return s3err('AccessDenied', 403, message);
    case 's3control':
      return s3cerr('AccessDenied', 403, message);
    case 'cloudfront':
      return cferr('AccessDenied', 403, message);
    case 'kms':
      return kmserr('AccessDeniedException', 400, message);
    case 'organizations':
      return orgerr('AccessDeniedException', message);
    case 'lambda':
      return lambdaerr('AccessDeniedException', 403, message);
  }
}

type Exports = Record<string, unknown>;
type Base = Parameters<typeof awsError>[1];
const s3err = s3Error;
const cferr = (name: string, status: number, message: string) => awsError(cloudfront as unknown as Exports, CloudFrontServiceException as unknown as Base, name, status, message);
const orgerr = (name: string, message: string) => awsError(organizations as unknown as Exports, OrganizationsServiceException as unknown as Base, name, 400, message);
const kmserr = (name: string, status: number, message: string) => awsError(kmsExports as unknown as Exports, KMSServiceException as unknown as Base, name, status, message);
const s3cerr = (name: string, status: number, message: string) => awsError(s3controlExports as unknown as Exports, S3ControlServiceException as unknown as Base, name, status, message);
const lambdaerr = (name: string, status: number, message: string) => awsError(lambdaExports as unknown as Exports, LambdaServiceException as unknown as Base, name, status, message);
const stserr = (name: string, status: number, message: string) => awsError(stsExports as unknown as Exports, STSServiceException as unknown as Base, name, status, message);

export const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export function oacPolicy(distArn = DIST_ARN): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowCloudFrontServicePrincipalReadOnly',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': distArn } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

export function oaiPolicy(oaiId = OAI_ID): object {
  return {
    Version: '2008-10-17',
    Id: 'PolicyForCloudFrontPrivateContent',
    Statement: [
      {
        Sid: '1',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${oaiId}` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      },
    ],
  };
}

export function distribution(origin: { domain?: string; oacId?: string; oaiId?: string; website?: boolean }, associations: string[] = ['viewer-request', 'origin-request', 'origin-response']): DistributionConfig {
  const domain = origin.domain ?? ENV.bucketDomain;
  return {
    CallerReference: 'edgelock-prod',
    Comment: 'acme-web prod',
    Enabled: true,
    DefaultRootObject: 'index.html',
    Aliases: { Quantity: 0 },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: 'site',
          DomainName: domain,
          OriginPath: '',
          CustomHeaders: { Quantity: 0 },
          ...(origin.website
            ? { CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only', OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] }, OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 } }
            : { S3OriginConfig: { OriginAccessIdentity: origin.oaiId ? `origin-access-identity/cloudfront/${origin.oaiId}` : '' } }),
          ConnectionAttempts: 3,
          ConnectionTimeout: 10,
          OriginShield: { Enabled: false },
          OriginAccessControlId: origin.oacId ?? '',
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: 'site',
      TrustedSigners: { Enabled: false, Quantity: 0 },
      TrustedKeyGroups: { Enabled: false, Quantity: 0 },
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: { Quantity: 2, Items: ['HEAD', 'GET'], CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } },
      Compress: true,
      LambdaFunctionAssociations: {
        Quantity: associations.length,
        Items: associations.map((e, i) => ({ LambdaFunctionARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:acme-web-prod-${e}:${i + 1}`, EventType: e as 'origin-request', IncludeBody: false })),
      },
      FunctionAssociations: { Quantity: 0 },
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    },
    CacheBehaviors: { Quantity: 0 },
    CustomErrorResponses: { Quantity: 0 },
    PriceClass: 'PriceClass_100',
    HttpVersion: 'http2',
    IsIPV6Enabled: true,
  };
}

/** A healthy OAC setup: the baseline every scenario changes one thing in. */
export function healthyWorld(): World {
  return {
    distribution: distribution({ oacId: OAC_ID }),
    oac: { SigningBehavior: 'always' },
    bucketPolicy: oacPolicy(),
    bucketOwnerId: OWNER_ID,
    bucketPab: ALL_ON,
    accountPab: ALL_ON,
    ownership: 'BucketOwnerEnforced',
    objects: { 'index.html': { ownerId: OWNER_ID, size: 5120, sse: 'AES256' } },
    defaultEncryption: { SSEAlgorithm: 'AES256' },
    payer: 'BucketOwner',
    callerAccount: ACCOUNT,
    org: {
      ou: 'ou-ab12-workload',
      root: 'r-ab12',
      policies: [
        { id: 'p-FullAWSAccess', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', target: 'r-ab12', awsManaged: true, content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        { id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', target: 'r-ab12', awsManaged: true, content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] } },
      ],
    },
  };
}

/** Installs stubs answering from `w`; returns the clients the doctor should use. */
export function mockWorld(w: World): DoctorClients {
  const clients: DoctorClients = {
    s3: new S3Client({ region: REGION }),
    s3control: new S3ControlClient({ region: REGION }),
    cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
    organizations: new OrganizationsClient({ region: 'us-east-1' }),
    kms: new KMSClient({ region: REGION }),
    sts: new STSClient({ region: REGION }),
    lambda: new LambdaClient({ region: 'us-east-1' }),
  };
  const s3 = mockClient(clients.s3);
  const cf = mockClient(clients.cloudfront);
  const s3c = mockClient(clients.s3control);
  const org = mockClient(clients.organizations);
  const kms = mockClient(clients.kms);
  const sts = mockClient(clients.sts);
  const lambda = mockClient(clients.lambda);

  if (w.distribution === 'missing') cf.on(GetDistributionConfigCommand).rejects(cferr('NoSuchDistribution', 404, 'The specified distribution does not exist.'));
  else if (w.distribution === 'denied') cf.on(GetDistributionConfigCommand).rejects(cferr('AccessDenied', 403, 'User is not authorized to perform: cloudfront:GetDistributionConfig'));
  else cf.on(GetDistributionConfigCommand).resolves({ DistributionConfig: w.distribution, ETag: 'E2QWRUHEXAMPLE' });
  cf.on(GetOriginAccessControlCommand).callsFake((input: { Id: string }) => {
    if (!w.oac) throw cferr('NoSuchOriginAccessControl', 404, 'The origin access control does not exist.');
    return { OriginAccessControl: { Id: input.Id, OriginAccessControlConfig: { Name: 'acme-web-prod', Description: '', SigningProtocol: 'sigv4', SigningBehavior: w.oac.SigningBehavior, OriginAccessControlOriginType: 's3' } }, ETag: 'ETAGOAC' };
  });
  cf.on(GetCloudFrontOriginAccessIdentityCommand).callsFake((input: { Id: string }) => {
    if (w.oai === 'denied') throw cferr('AccessDenied', 403, 'User is not authorized to perform: cloudfront:GetCloudFrontOriginAccessIdentity');
    if (w.oai === 'missing') throw cferr('NoSuchCloudFrontOriginAccessIdentity', 404, 'The specified origin access identity does not exist.');
    return {
      CloudFrontOriginAccessIdentity: { Id: input.Id, S3CanonicalUserId: w.oaiCanonical ?? OAI_CANONICAL, CloudFrontOriginAccessIdentityConfig: { CallerReference: 'x', Comment: 'cloudfront identity' } },
      ETag: 'ETAGOAI',
    };
  });

  cf.on(GetCachePolicyCommand).callsFake((input: { Id: string }) => {
    const headers = w.cacheKeyHeaders ?? [];
    const managed = input.Id === '658327ea-f89d-4fab-a63d-7e88639e58f6';
    if (!managed && !w.cacheKeyHeaders) throw cferr('NoSuchCachePolicy', 404, 'The cache policy does not exist.');
    return {
      CachePolicy: {
        Id: input.Id,
        LastModifiedTime: new Date('2024-01-01T00:00:00Z'),
        CachePolicyConfig: {
          Name: managed && !w.cacheKeyHeaders ? 'Managed-CachingOptimized' : 'acme-web-auth',
          MinTTL: 1,
          DefaultTTL: 86400,
          MaxTTL: 31536000,
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
            HeadersConfig: headers.length ? { HeaderBehavior: 'whitelist', Headers: { Quantity: headers.length, Items: headers } } : { HeaderBehavior: 'none' },
            CookiesConfig: { CookieBehavior: 'none' },
            QueryStringsConfig: { QueryStringBehavior: 'none' },
          },
        },
      },
      ETag: 'ETAGCACHE',
    };
  });

  // A CloudFront Function's LIVE stage: its ETag, and TestFunction running it on the event given
  // (FunctionOutput is the returned event object as a JSON string; a throw is FunctionErrorMessage).
  const functionEtag = (name: string) => `E${name.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 10)}LIVE`;
  cf.on(DescribeFunctionCommand).callsFake((input: { Name: string; Stage?: string }) => {
    if (!w.cloudFrontFunctions?.[input.Name]) throw cferr('NoSuchFunctionExists', 404, 'The function does not exist.');
    return {
      FunctionSummary: { Name: input.Name, Status: 'DEPLOYED', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' }, FunctionMetadata: { FunctionARN: `arn:aws:cloudfront::${ACCOUNT}:function/${input.Name}`, Stage: input.Stage ?? 'DEVELOPMENT', LastModifiedTime: new Date('2025-03-01T00:00:00Z') } },
      ETag: functionEtag(input.Name),
    };
  });
  cf.on(TestFunctionCommand).callsFake((input: { Name: string; IfMatch: string; Stage?: string; EventObject: Uint8Array }) => {
    const code = w.cloudFrontFunctions?.[input.Name];
    if (!code) throw cferr('NoSuchFunctionExists', 404, 'The function does not exist.');
    if (input.IfMatch !== functionEtag(input.Name)) throw cferr('PreconditionFailed', 412, 'The If-Match version is missing or not valid for the resource.');
    const summary = { Name: input.Name, Status: 'DEPLOYED', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' as const }, FunctionMetadata: { FunctionARN: `arn:aws:cloudfront::${ACCOUNT}:function/${input.Name}`, Stage: input.Stage as 'LIVE', LastModifiedTime: new Date('2025-03-01T00:00:00Z') } };
    try {
      const out = code(JSON.parse(new TextDecoder().decode(input.EventObject)) as CffEvent);
      return { TestResult: { FunctionSummary: summary, ComputeUtilization: '12', FunctionExecutionLogs: [], FunctionErrorMessage: '', FunctionOutput: JSON.stringify(out) } };
    } catch (e) {
      return { TestResult: { FunctionSummary: summary, ComputeUtilization: '3', FunctionExecutionLogs: [], FunctionErrorMessage: `${(e as Error).name}: ${(e as Error).message}`, FunctionOutput: '' } };
    }
  });
  // Lambda Invoke: the handler's return value as the payload bytes; a throw is a 200 with the
  // X-Amz-Function-Error header (FunctionError) and the error as the payload.
  lambda.on(InvokeCommand).callsFake(async (input: { FunctionName: string; Payload: Uint8Array }) => {
    const handler = w.lambdas?.[input.FunctionName];
    if (!handler) throw lambdaerr('ResourceNotFoundException', 404, `Function not found: ${input.FunctionName}`);
    const version = input.FunctionName.split(':').pop();
    try {
      const out = await handler(JSON.parse(new TextDecoder().decode(input.Payload)));
      return { StatusCode: 200, ExecutedVersion: version, Payload: Uint8ArrayBlobAdapter.fromString(out === undefined ? 'null' : JSON.stringify(out)) };
    } catch (e) {
      return { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: version, Payload: Uint8ArrayBlobAdapter.fromString(JSON.stringify({ errorType: (e as Error).name, errorMessage: (e as Error).message, trace: [`${(e as Error).name}: ${(e as Error).message}`, '    at Runtime.handler (file:///var/task/index.mjs:3:9)'] })) };
    }
  });

  s3.on(GetBucketPolicyCommand).callsFake(() => {
    if (!w.bucketPolicy) throw s3err('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    return { Policy: typeof w.bucketPolicy === 'string' ? w.bucketPolicy : JSON.stringify(w.bucketPolicy) };
  });
  s3.on(GetBucketAclCommand).resolves({ Owner: { ID: w.bucketOwnerId }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: w.bucketOwnerId }, Permission: 'FULL_CONTROL' }] });
  s3.on(GetPublicAccessBlockCommand).callsFake(() => {
    if (w.bucketPab === 'denied') throw s3err('AccessDenied', 403, 'Access Denied');
    if (!w.bucketPab) throw s3err('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
    return { PublicAccessBlockConfiguration: w.bucketPab };
  });
  s3c.on(GetAccountPabCommand).callsFake(() => {
    if (w.accountPab === 'denied') throw s3cerr('AccessDenied', 403, 'Access Denied');
    if (!w.accountPab) throw s3cerr('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
    return { PublicAccessBlockConfiguration: w.accountPab };
  });
  s3c.on(ListAccessPointsCommand).callsFake(() => ({
    AccessPointList: (w.accessPoints ?? []).map((a) => ({
      Name: a.name,
      NetworkOrigin: a.networkOrigin ?? 'Internet',
      ...(a.networkOrigin === 'VPC' ? { VpcConfiguration: { VpcId: 'vpc-1a2b3c4d' } } : {}),
      Bucket: a.bucket,
      AccessPointArn: `arn:aws:s3:${REGION}:${ACCOUNT}:accesspoint/${a.name}`,
      Alias: a.alias,
      BucketAccountId: a.bucketAccountId ?? ACCOUNT,
    })),
  }));
  s3c.on(GetAccessPointPolicyCommand).callsFake((input: { Name: string }) => {
    const a = (w.accessPoints ?? []).find((x) => x.name === input.Name);
    if (!a) throw s3cerr('NoSuchAccessPoint', 404, 'The specified accesspoint does not exist');
    if (!a.policy) throw s3cerr('NoSuchAccessPointPolicy', 404, 'The specified accesspoint policy does not exist');
    return { Policy: JSON.stringify(a.policy) };
  });
  const olap = (name: string) => {
    const o = (w.objectLambdas ?? []).find((x) => x.name === name);
    if (!o) throw s3cerr('NoSuchAccessPoint', 404, 'The specified accesspoint does not exist');
    return o;
  };
  s3c.on(ListAccessPointsForObjectLambdaCommand).callsFake(() => ({
    ObjectLambdaAccessPointList: (w.objectLambdas ?? []).map((o) => ({ Name: o.name, ObjectLambdaAccessPointArn: `arn:aws:s3-object-lambda:${REGION}:${ACCOUNT}:accesspoint/${o.name}`, Alias: { Value: o.alias, Status: 'READY' } })),
  }));
  s3c.on(GetAccessPointConfigurationForObjectLambdaCommand).callsFake((input: { Name: string }) => {
    const o = olap(input.Name);
    return {
      Configuration: {
        SupportingAccessPoint: `arn:aws:s3:${REGION}:${ACCOUNT}:accesspoint/${o.supportingAccessPoint}`,
        CloudWatchMetricsEnabled: false,
        AllowedFeatures: [],
        TransformationConfigurations: o.functionArns.map((f) => ({ Actions: ['GetObject'], ContentTransformation: { AwsLambda: { FunctionArn: f } } })),
      },
    };
  });
  s3c.on(GetAccessPointPolicyForObjectLambdaCommand).callsFake((input: { Name: string }) => {
    const o = olap(input.Name);
    if (!o.policy) throw s3cerr('NoSuchAccessPointPolicy', 404, 'The specified accesspoint policy does not exist');
    return { Policy: JSON.stringify(o.policy) };
  });
  lambda.on(GetPolicyCommand).callsFake((input: { FunctionName: string }) => {
    const p = w.lambdaPolicies?.[input.FunctionName];
    if (!p) throw lambdaerr('ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    return { Policy: JSON.stringify(p), RevisionId: '4f5e3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b' };
  });
  s3.on(GetBucketOwnershipControlsCommand).callsFake(() => {
    if (!w.ownership) throw s3err('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
    return { OwnershipControls: { Rules: [{ ObjectOwnership: w.ownership }] } };
  });
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; MaxKeys?: number; FetchOwner?: boolean }) => {
    const keys = Object.keys(w.objects).filter((k) => k.startsWith(input.Prefix ?? '')).sort().slice(0, input.MaxKeys ?? 1000);
    return {
      Name: BUCKET,
      Prefix: input.Prefix,
      KeyCount: keys.length,
      MaxKeys: input.MaxKeys ?? 1000,
      IsTruncated: false,
      Contents: keys.map((k) => ({ Key: k, LastModified: new Date('2019-06-30T16:00:00Z'), ETag: '"d41d8cd98f00b204e9800998ecf8427e"', Size: w.objects[k]!.size ?? 1024, StorageClass: 'STANDARD', ...(input.FetchOwner ? { Owner: { ID: w.objects[k]!.ownerId } } : {}) })),
    };
  });
  // The bucket owner may read an object's ACL and metadata only when it owns the object (or is granted).
  const readable = (o: ObjectFacts, perm: RegExp) => o.ownerId === w.bucketOwnerId || w.ownership === 'BucketOwnerEnforced' || (o.grants ?? []).some((g) => g.Grantee?.ID === w.bucketOwnerId && perm.test(g.Permission ?? ''));
  s3.on(GetObjectAclCommand).callsFake((input: { Key: string }) => {
    const o = w.objects[input.Key];
    if (!o) throw s3err('NoSuchKey', 404, 'The specified key does not exist.');
    if (w.ownership === 'BucketOwnerEnforced') return { Owner: { ID: w.bucketOwnerId }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: w.bucketOwnerId }, Permission: 'FULL_CONTROL' }] };
    if (!readable(o, /READ_ACP|FULL_CONTROL/)) throw s3err('AccessDenied', 403, 'Access Denied');
    return { Owner: { ID: o.ownerId }, Grants: o.grants ?? [{ Grantee: { Type: 'CanonicalUser', ID: o.ownerId }, Permission: 'FULL_CONTROL' }] };
  });
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const o = w.objects[input.Key];
    // HEAD responses have no body: the SDK names the error after the status.
    if (!o) throw s3HeadError(404);
    if (w.headObjectDenied || !readable(o, /^READ$|FULL_CONTROL/)) throw s3HeadError(403);
    return { ContentLength: o.size ?? 1024, ContentType: 'text/html', ETag: '"d41d8cd98f00b204e9800998ecf8427e"', ServerSideEncryption: o.sse ?? 'AES256', ...(o.kmsKeyId ? { SSEKMSKeyId: o.kmsKeyId } : {}) };
  });
  s3.on(GetBucketEncryptionCommand).callsFake(() => {
    if (!w.defaultEncryption) throw s3err('ServerSideEncryptionConfigurationNotFoundError', 404, 'The server side encryption configuration was not found');
    return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: w.defaultEncryption, BucketKeyEnabled: false }] } };
  });
  s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: w.payer });
  // GetBucketLocation answers the region as a LocationConstraint (none for us-east-1).
  s3.on(GetBucketLocationCommand).resolves(w.bucketRegion === 'us-east-1' ? {} : { LocationConstraint: (w.bucketRegion ?? REGION) as 'eu-west-1' });
  s3.on(GetObjectLockConfigurationCommand).rejects(s3err('ObjectLockConfigurationNotFoundError', 404, 'Object Lock configuration does not exist for this bucket'));

  kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => {
    if (w.describeKey === 'NotFoundException') throw kmserr('NotFoundException', 400, `Key '${KMS_KEY}' does not exist`);
    if (w.describeKey === 'AccessDeniedException') throw refusalError('kms:DescribeKey', { policy: 'resource-based policy' });
    return {
    KeyMetadata: { KeyId: input.KeyId.split('/').pop(), Arn: KMS_KEY, KeyManager: w.kms?.manager ?? 'CUSTOMER', KeyState: 'Enabled', Enabled: true, KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT' },
    };
  });
  kms.on(GetKeyPolicyCommand).callsFake(() => ({ Policy: JSON.stringify(w.kms?.policy ?? {}), PolicyName: 'default' }));

  sts.on(GetCallerIdentityCommand).resolves({ Account: w.callerAccount, Arn: `arn:aws:sts::${w.callerAccount}:assumed-role/Admin/doctor`, UserId: 'AROAEXAMPLE:doctor' });

  if (w.org === 'denied') {
    org.on(ListParentsCommand).rejects(orgerr('AccessDeniedException', 'You don\'t have permissions to access this resource.'));
  } else if (w.org === 'none') {
    org.on(ListParentsCommand).rejects(orgerr('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'));
  } else {
    const o = w.org;
    org.on(ListParentsCommand).callsFake((input: { ChildId: string }) => ({
      Parents: input.ChildId === ACCOUNT ? [{ Id: o.ou, Type: 'ORGANIZATIONAL_UNIT' }] : [{ Id: o.root, Type: 'ROOT' }],
    }));
    org.on(ListPoliciesForTargetCommand).callsFake((input: { TargetId: string; Filter: string }) => ({
      Policies: o.policies
        .filter((p) => p.target === input.TargetId && p.type === input.Filter)
        .map((p) => ({ Id: p.id, Arn: `arn:aws:organizations::${TOOLS_ACCOUNT}:policy/o-exampleorg/${p.type.toLowerCase()}/${p.id}`, Name: p.name, Description: '', Type: p.type, AwsManaged: !!p.awsManaged })),
    }));
    org.on(DescribePolicyCommand).callsFake((input: { PolicyId: string }) => {
      const p = o.policies.find((x) => x.id === input.PolicyId)!;
      return { Policy: { PolicySummary: { Id: p.id, Name: p.name, Type: p.type, AwsManaged: !!p.awsManaged }, Content: JSON.stringify(p.content) } };
    });
  }
  const mocks = { s3, cloudfront: cf, s3control: s3c, organizations: org, kms, sts, lambda };
  for (const [action, how] of Object.entries(w.refuse ?? {}) as [Read, Refusal][]) {
    const [service, command] = READS[action];
    (mocks[service] as unknown as { on(c: unknown): { rejects(e: Error): void } }).on(command).rejects(refusalError(action, how));
  }
  if (w.failure) {
    const err = () =>
      w.failure === 'unreachable' ? connectionRefused('52.95.150.10', 443) : w.failure === 'no-credentials' ? noCredentials() : stserr('ExpiredToken', 403, 'The security token included in the request is expired');
    for (const m of Object.values(mocks)) {
      const mock = m as unknown as { reset(): void; onAnyCommand(): { callsFake(f: () => never): void } };
      mock.reset();
      mock.onAnyCommand().callsFake(() => {
        throw err();
      });
    }
  }
  return clients;
}

/** What the CLI passes the doctor for `env`: the edge config its bundles are built with (project acme-web). */
export function edgeFor(env: ResolvedEnvironment): EdgeConfig {
  return toEdgeConfig(resolvedConfig(validConfig()), env);
}

/** The doctor as the CLI runs it: with the environment's edge config, unless one is given. */
export function runWorld(o: DoctorOptions): Promise<DoctorReport> {
  return runDoctor({ edge: edgeFor(o.env), ...o });
}
