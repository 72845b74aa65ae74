/**
 * What the doctor knows about one environment: every AWS call is made at most once (memoized)
 * and shared by the checks, plus the facts derived from them (which origin serves the key, which
 * CloudFront principal reaches the bucket, and the request context S3 evaluates).
 */
import {
  GetCloudFrontOriginAccessIdentityCommand,
  GetDistributionConfigCommand,
  GetOriginAccessControlCommand,
  type CacheBehavior,
  type DefaultCacheBehavior,
  type DistributionConfig,
  type Origin,
} from '@aws-sdk/client-cloudfront';
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetObjectAclCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { ResolvedEnvironment } from '../../config/schema';
import type { EdgeConfig } from '../../edge/config';
import { fetchAws, type DoctorClients, type Fetched } from './aws';
import { parsePolicy, wildcardMatch, type EvalPrincipal, type EvalRequest, type PolicyDocument } from '../policy';

export interface DoctorOptions {
  readonly env: ResolvedEnvironment;
  readonly distributionId: string;
  /** Object key without a leading slash; undefined: the distribution's root object. */
  readonly key?: string;
  readonly clients: DoctorClients;
  /** What the environment's edge bundles were built with (for the guard check). */
  readonly edge?: EdgeConfig;
}

/** How the distribution reaches the bucket. */
export type OriginAccess =
  | { readonly kind: 'oac'; readonly id: string; readonly signing?: string; readonly originType?: string }
  | { readonly kind: 'oai'; readonly id: string; readonly canonicalUserId?: string }
  | { readonly kind: 'none' };

export type EndpointKind = 'rest' | 'website' | 'custom';

export interface OriginFacts {
  readonly behavior: { readonly pathPattern: string; readonly value: DefaultCacheBehavior | CacheBehavior };
  readonly origin?: Origin;
  readonly endpoint: EndpointKind;
  /** The bucket named by the origin's domain, for S3 endpoints. */
  readonly originBucket?: string;
  readonly access: OriginAccess;
}

const OAI_PREFIX = 'origin-access-identity/cloudfront/';
const REST_ENDPOINT = /^(.+?)\.s3(?:[.-](?:dualstack\.)?([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/;
const WEBSITE_ENDPOINT = /^(.+?)\.s3-website[.-]([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Classifies an origin domain: the bucket's REST endpoint, a website endpoint, or something else. */
export function classifyEndpoint(domain: string): { kind: EndpointKind; bucket?: string } {
  const web = WEBSITE_ENDPOINT.exec(domain);
  if (web) return { kind: 'website', bucket: web[1]! };
  const rest = REST_ENDPOINT.exec(domain);
  if (rest) return { kind: 'rest', bucket: rest[1]! };
  return { kind: 'custom' };
}

/** CloudFront path patterns: `*` and `?` wildcards, matched against the path with its leading slash. */
function behaviorFor(cfg: DistributionConfig, path: string): OriginFacts['behavior'] {
  for (const b of cfg.CacheBehaviors?.Items ?? []) {
    const pattern = b.PathPattern!.startsWith('/') ? b.PathPattern! : `/${b.PathPattern}`;
    if (wildcardMatch(pattern, path)) return { pathPattern: b.PathPattern!, value: b };
  }
  return { pathPattern: 'Default (*)', value: cfg.DefaultCacheBehavior! };
}

export class DoctorContext {
  readonly env: ResolvedEnvironment;
  readonly bucket: string;
  readonly distributionId: string;
  readonly distributionArn: string;
  readonly clients: DoctorClients;
  readonly edge?: EdgeConfig;
  private readonly givenKey?: string;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(o: DoctorOptions) {
    this.env = o.env;
    this.bucket = o.env.bucket;
    this.distributionId = o.distributionId;
    this.distributionArn = `arn:aws:cloudfront::${o.env.accountId}:distribution/${o.distributionId}`;
    this.clients = o.clients;
    if (o.edge) this.edge = o.edge;
    if (o.key !== undefined) this.givenKey = o.key.replace(/^\/+/, '');
  }

  private once<T>(id: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(id) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(id, p);
    }
    return p;
  }

  private s3<T>(name: string, args: string, fn: () => Promise<T>): Promise<Fetched<T>> {
    return this.once(`${name}(${args})`, () => fetchAws(`s3:${name}(${args})`, fn));
  }

  private get b(): string {
    return `Bucket=${this.bucket}`;
  }

  callerIdentity() {
    return this.once('sts', () => fetchAws('sts:GetCallerIdentity()', () => this.clients.sts.send(new GetCallerIdentityCommand({}))));
  }

  distributionConfig() {
    return this.once('dist', () =>
      fetchAws(`cloudfront:GetDistributionConfig(Id=${this.distributionId})`, async () => {
        const r = await this.clients.cloudfront.send(new GetDistributionConfigCommand({ Id: this.distributionId }));
        return r.DistributionConfig!;
      }),
    );
  }

  originAccessControl(id: string) {
    return this.once(`oac:${id}`, () =>
      fetchAws(`cloudfront:GetOriginAccessControl(Id=${id})`, async () => {
        const r = await this.clients.cloudfront.send(new GetOriginAccessControlCommand({ Id: id }));
        return r.OriginAccessControl!.OriginAccessControlConfig!;
      }),
    );
  }

  originAccessIdentity(id: string) {
    return this.once(`oai:${id}`, () =>
      fetchAws(`cloudfront:GetCloudFrontOriginAccessIdentity(Id=${id})`, async () => {
        const r = await this.clients.cloudfront.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id }));
        return r.CloudFrontOriginAccessIdentity!;
      }),
    );
  }

  /** The object key the doctor asks about: --key, else the distribution's root object. */
  async key(): Promise<{ key: string; source: string }> {
    if (this.givenKey !== undefined) return { key: this.givenKey, source: '--key' };
    const d = await this.distributionConfig();
    if (d.ok) return { key: (d.value.DefaultRootObject ?? '').replace(/^\/+/, ''), source: 'DefaultRootObject' };
    return { key: 'index.html', source: 'assumed (the distribution could not be read)' };
  }

  /** Which behaviour and origin serve the key, and how the origin is accessed. Undefined when the distribution is unreadable. */
  async origin(): Promise<OriginFacts | undefined> {
    return this.once('origin', async () => {
      const d = await this.distributionConfig();
      if (!d.ok) return undefined;
      const { key } = await this.key();
      const behavior = behaviorFor(d.value, `/${key}`);
      const origin = d.value.Origins?.Items?.find((o) => o.Id === behavior.value.TargetOriginId);
      if (!origin) return { behavior, endpoint: 'custom' as const, access: { kind: 'none' as const } };
      const ep = classifyEndpoint(origin.DomainName ?? '');
      let access: OriginAccess = { kind: 'none' };
      if (origin.OriginAccessControlId) {
        const oac = await this.originAccessControl(origin.OriginAccessControlId);
        access = {
          kind: 'oac',
          id: origin.OriginAccessControlId,
          ...(oac.ok ? { signing: oac.value.SigningBehavior!, originType: oac.value.OriginAccessControlOriginType! } : {}),
        };
      } else if (origin.S3OriginConfig?.OriginAccessIdentity) {
        const id = origin.S3OriginConfig.OriginAccessIdentity.replace(OAI_PREFIX, '');
        const oai = await this.originAccessIdentity(id);
        access = { kind: 'oai', id, ...(oai.ok && oai.value.S3CanonicalUserId ? { canonicalUserId: oai.value.S3CanonicalUserId } : {}) };
      }
      return { behavior, origin, endpoint: ep.kind, ...(ep.bucket ? { originBucket: ep.bucket } : {}), access };
    });
  }

  /** The access the checks evaluate policies for: the distribution's, else what the config says. */
  async access(): Promise<OriginAccess> {
    const o = await this.origin();
    if (o) return o.access;
    return this.env.originAccess === 'oac' ? { kind: 'oac', id: '(unknown)' } : { kind: 'oai', id: '(unknown)' };
  }

  /** The request S3 (or KMS, or an RCP) evaluates when CloudFront fetches the key. */
  async request(action: string, resource: string): Promise<EvalRequest> {
    const access = await this.access();
    const common = { action, resource };
    // Keys CloudFront's requests never carry; any other key that is not in `context` is unknown.
    const absentKeys = ['aws:principalorgid', 'aws:principalorgpaths', 'aws:multifactorauthpresent', 'aws:multifactorauthage', 'aws:sourcevpce', 'aws:sourcevpc', 'aws:principaltag/*'];
    if (access.kind === 'oac') {
      const principal: EvalPrincipal = { service: 'cloudfront.amazonaws.com' };
      return {
        ...common,
        principal,
        context: {
          'aws:sourcearn': [this.distributionArn],
          'aws:sourceaccount': [this.env.accountId],
          'aws:principalisawsservice': ['true'],
          'aws:principalservicename': ['cloudfront.amazonaws.com'],
          'aws:securetransport': ['true'],
        },
        // A service principal has no ARN or account of its own (hence aws:PrincipalIsAWSService).
        absentKeys: [...absentKeys, 'aws:principalarn', 'aws:principalaccount'],
      };
    }
    if (access.kind === 'oai') {
      const arn = `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${access.id}`;
      return {
        ...common,
        principal: { aws: [arn], ...(access.canonicalUserId ? { canonicalUser: access.canonicalUserId } : {}) },
        context: { 'aws:principalarn': [arn], 'aws:principalisawsservice': ['false'], 'aws:securetransport': ['true'] },
        absentKeys,
      };
    }
    return { ...common, principal: {}, context: { 'aws:principalisawsservice': ['false'] }, absentKeys: [...absentKeys, 'aws:principalarn', 'aws:sourcearn', 'aws:sourceaccount'] };
  }

  bucketPolicy(): Promise<Fetched<PolicyDocument | null>> {
    return this.s3('GetBucketPolicy', this.b, async () => {
      try {
        const r = await this.clients.s3.send(new GetBucketPolicyCommand({ Bucket: this.bucket }));
        return parsePolicy(r.Policy ?? '{"Statement":[]}', `the bucket policy of ${this.bucket}`);
      } catch (err) {
        if ((err as Error).name === 'NoSuchBucketPolicy') return null;
        throw err;
      }
    });
  }

  bucketAcl() {
    return this.s3('GetBucketAcl', this.b, () => this.clients.s3.send(new GetBucketAclCommand({ Bucket: this.bucket })));
  }

  bucketPublicAccessBlock() {
    return this.s3('GetPublicAccessBlock', this.b, async () => {
      try {
        return (await this.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: this.bucket }))).PublicAccessBlockConfiguration ?? null;
      } catch (err) {
        if ((err as Error).name === 'NoSuchPublicAccessBlockConfiguration') return null;
        throw err;
      }
    });
  }

  accountPublicAccessBlock() {
    return this.once('account-pab', () =>
      fetchAws(`s3control:GetPublicAccessBlock(AccountId=${this.env.accountId})`, async () => {
        try {
          return (await this.clients.s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: this.env.accountId }))).PublicAccessBlockConfiguration ?? null;
        } catch (err) {
          if ((err as Error).name === 'NoSuchPublicAccessBlockConfiguration') return null;
          throw err;
        }
      }),
    );
  }

  /** The bucket's Object Ownership setting; a bucket without ownership controls is ObjectWriter. */
  ownership() {
    return this.s3('GetBucketOwnershipControls', this.b, async () => {
      try {
        const r = await this.clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: this.bucket }));
        return { mode: r.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? 'ObjectWriter', set: true };
      } catch (err) {
        if ((err as Error).name === 'OwnershipControlsNotFoundError') return { mode: 'ObjectWriter', set: false };
        throw err;
      }
    });
  }

  /** The key's listing entry with its owner (undefined: no such key). */
  async listing() {
    const { key } = await this.key();
    return this.s3('ListObjectsV2', `${this.b}, Prefix=${key}, MaxKeys=1, FetchOwner=true`, async () => {
      const r = await this.clients.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1, FetchOwner: true }));
      return r.Contents?.find((c) => c.Key === key);
    });
  }

  async objectAcl() {
    const { key } = await this.key();
    return this.s3('GetObjectAcl', `${this.b}, Key=${key}`, () => this.clients.s3.send(new GetObjectAclCommand({ Bucket: this.bucket, Key: key })));
  }

  async headObject() {
    const { key } = await this.key();
    return this.s3('HeadObject', `${this.b}, Key=${key}`, () => this.clients.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  bucketEncryption() {
    return this.s3('GetBucketEncryption', this.b, async () => {
      try {
        const r = await this.clients.s3.send(new GetBucketEncryptionCommand({ Bucket: this.bucket }));
        return r.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault ?? null;
      } catch (err) {
        if ((err as Error).name === 'ServerSideEncryptionConfigurationNotFoundError') return null;
        throw err;
      }
    });
  }

  requestPayment() {
    return this.s3('GetBucketRequestPayment', this.b, async () => (await this.clients.s3.send(new GetBucketRequestPaymentCommand({ Bucket: this.bucket }))).Payer ?? 'BucketOwner');
  }

  objectLock() {
    return this.s3('GetObjectLockConfiguration', this.b, async () => {
      try {
        return (await this.clients.s3.send(new GetObjectLockConfigurationCommand({ Bucket: this.bucket }))).ObjectLockConfiguration ?? null;
      } catch (err) {
        if ((err as Error).name === 'ObjectLockConfigurationNotFoundError') return null;
        throw err;
      }
    });
  }

  keyPolicy(keyId: string) {
    return this.once(`kms-policy:${keyId}`, () =>
      fetchAws(`kms:GetKeyPolicy(KeyId=${keyId}, PolicyName=default)`, async () => {
        const r = await this.clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
        return parsePolicy(r.Policy ?? '{"Statement":[]}', `the key policy of ${keyId}`);
      }),
    );
  }

  describeKey(keyId: string) {
    return this.once(`kms-describe:${keyId}`, () =>
      fetchAws(`kms:DescribeKey(KeyId=${keyId})`, async () => (await this.clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!),
    );
  }

  objectArn(key: string): string {
    return `arn:aws:s3:::${this.bucket}/${key}`;
  }
}

/** "the distribution's OAC" / "OAI E123" / "anonymous requests", for report sentences. */
export function describeAccess(a: OriginAccess): string {
  if (a.kind === 'oac') return `origin access control ${a.id}`;
  if (a.kind === 'oai') return `origin access identity ${a.id}`;
  return 'unsigned (anonymous) requests';
}
