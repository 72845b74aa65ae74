/**
 * Every AWS call the doctor makes, one function each, and nothing else: each answers the value,
 * or a classified error (refused, not found, other; see {@link Fetched}) with the call it made as
 * evidence. A "not configured" answer that is a fact about the bucket (no policy, no Public Access
 * Block, no ownership controls, no default encryption, no Object Lock) becomes `null`. Every call
 * is made at most once per run (memoized), so checks that ask the same question share the answer.
 */
import {
  DescribeFunctionCommand,
  GetCachePolicyCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetDistributionConfigCommand,
  GetOriginAccessControlCommand,
  TestFunctionCommand,
} from '@aws-sdk/client-cloudfront';
import { GetPolicyCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand, type PolicyType } from '@aws-sdk/client-organizations';
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
} from '@aws-sdk/client-s3';
import {
  GetAccessPointConfigurationForObjectLambdaCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyForObjectLambdaCommand,
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  paginateListAccessPoints,
  paginateListAccessPointsForObjectLambda,
  type AccessPoint,
  type ObjectLambdaAccessPoint,
} from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parsePolicy, type PolicyDocument } from '../policy';
import { NOT_FOUND, orNull } from '../s3/errors';
import { MODE_WITHOUT_CONTROLS, ownershipModeOf } from '../s3/ownership';
import { fetchAws, type DoctorClients, type Fetched } from './aws';
import type { OwnershipSetting } from './facts';

export interface AwsReadsOptions {
  readonly clients: DoctorClients;
  readonly accountId: string;
  readonly bucket: string;
  readonly distributionId: string;
}

/** The first `max` pages of an SDK paginator (a listing that would go on is cut there). */
async function* firstPages<T>(pages: AsyncIterable<T>, max: number): AsyncGenerator<T> {
  let n = 0;
  for await (const page of pages) {
    yield page;
    if (++n >= max) return;
  }
}

export class AwsReads {
  private readonly clients: DoctorClients;
  private readonly accountId: string;
  private readonly bucket: string;
  private readonly distributionId: string;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(o: AwsReadsOptions) {
    this.clients = o.clients;
    this.accountId = o.accountId;
    this.bucket = o.bucket;
    this.distributionId = o.distributionId;
  }

  /** Makes the call named `call` once; later asks share its answer. */
  private once<T>(call: string, fn: () => Promise<T>): Promise<Fetched<T>> {
    let p = this.memo.get(call) as Promise<Fetched<T>> | undefined;
    if (!p) {
      p = fetchAws(call, fn);
      this.memo.set(call, p);
    }
    return p;
  }

  private get b(): string {
    return `Bucket=${this.bucket}`;
  }

  callerIdentity() {
    return this.once('sts:GetCallerIdentity()', () => this.clients.sts.send(new GetCallerIdentityCommand({})));
  }

  distributionConfig() {
    return this.once(`cloudfront:GetDistributionConfig(Id=${this.distributionId})`, async () => {
      const r = await this.clients.cloudfront.send(new GetDistributionConfigCommand({ Id: this.distributionId }));
      return r.DistributionConfig!;
    });
  }

  originAccessControl(id: string) {
    return this.once(`cloudfront:GetOriginAccessControl(Id=${id})`, async () => {
      const r = await this.clients.cloudfront.send(new GetOriginAccessControlCommand({ Id: id }));
      return r.OriginAccessControl!.OriginAccessControlConfig!;
    });
  }

  originAccessIdentity(id: string) {
    return this.once(`cloudfront:GetCloudFrontOriginAccessIdentity(Id=${id})`, async () => {
      const r = await this.clients.cloudfront.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id }));
      return r.CloudFrontOriginAccessIdentity!;
    });
  }

  /** A cache policy's config (managed policies answer too). */
  cachePolicy(id: string) {
    return this.once(`cloudfront:GetCachePolicy(Id=${id})`, async () => (await this.clients.cloudfront.send(new GetCachePolicyCommand({ Id: id }))).CachePolicy!.CachePolicyConfig!);
  }

  /** A CloudFront Function's LIVE stage: its summary and ETag (which TestFunction needs). */
  describeFunction(name: string) {
    return this.once(`cloudfront:DescribeFunction(Name=${name}, Stage=LIVE)`, async () => {
      const r = await this.clients.cloudfront.send(new DescribeFunctionCommand({ Name: name, Stage: 'LIVE' }));
      return { summary: r.FunctionSummary, etag: r.ETag! };
    });
  }

  /** Runs a CloudFront Function's LIVE stage on `event` in CloudFront; `what` describes the event for the evidence. */
  testFunction(name: string, etag: string, event: object, what: string) {
    return this.once(`cloudfront:TestFunction(Name=${name}, IfMatch=${etag}, Stage=LIVE, EventObject=${what})`, async () => {
      const r = await this.clients.cloudfront.send(new TestFunctionCommand({ Name: name, IfMatch: etag, Stage: 'LIVE', EventObject: new TextEncoder().encode(JSON.stringify(event)) }));
      return r.TestResult ?? {};
    });
  }

  /** Invokes a Lambda function version (a Lambda@Edge association's qualified ARN) on `event`; `what` describes the event for the evidence. */
  invoke(functionArn: string, event: object, what: string) {
    return this.once(`lambda:Invoke(FunctionName=${functionArn}, Payload=${what})`, async () => {
      const r = await this.clients.lambda.send(new InvokeCommand({ FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
      return { ...(r.StatusCode !== undefined ? { StatusCode: r.StatusCode } : {}), ...(r.FunctionError ? { FunctionError: r.FunctionError } : {}), ...(r.ExecutedVersion ? { ExecutedVersion: r.ExecutedVersion } : {}), ...(r.Payload ? { Payload: r.Payload as Uint8Array } : {}) };
    });
  }

  /** The bucket policy; null: the bucket has none. */
  bucketPolicy(): Promise<Fetched<PolicyDocument | null>> {
    return this.once(`s3:GetBucketPolicy(${this.b})`, async () => {
      const r = await orNull(this.clients.s3.send(new GetBucketPolicyCommand({ Bucket: this.bucket })), NOT_FOUND.bucketPolicy);
      return r === null ? null : parsePolicy(r.Policy ?? '{"Statement":[]}', `the bucket policy of ${this.bucket}`);
    });
  }

  /** The bucket's region, from GetBucketLocation (an empty constraint is us-east-1, "EU" eu-west-1). */
  bucketRegion() {
    return this.once(`s3:GetBucketLocation(${this.b})`, async () => {
      const c = (await this.clients.s3.send(new GetBucketLocationCommand({ Bucket: this.bucket }))).LocationConstraint as string | undefined;
      return !c ? 'us-east-1' : c === 'EU' ? 'eu-west-1' : c;
    });
  }

  bucketAcl() {
    return this.once(`s3:GetBucketAcl(${this.b})`, () => this.clients.s3.send(new GetBucketAclCommand({ Bucket: this.bucket })));
  }

  /** The bucket's Block Public Access settings; null: none set. */
  bucketPublicAccessBlock() {
    return this.once(`s3:GetPublicAccessBlock(${this.b})`, async () =>
      (await orNull(this.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: this.bucket })), NOT_FOUND.publicAccessBlock))?.PublicAccessBlockConfiguration ?? null,
    );
  }

  /** The account's Block Public Access settings; null: none set. */
  accountPublicAccessBlock() {
    return this.once(`s3control:GetPublicAccessBlock(AccountId=${this.accountId})`, async () =>
      (await orNull(this.clients.s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: this.accountId })), NOT_FOUND.publicAccessBlock))?.PublicAccessBlockConfiguration ?? null,
    );
  }

  /** The account's access points in the client's region (every page, at most `maxPages` of 1,000). */
  accessPoints(maxPages = 20) {
    return this.once(`s3control:ListAccessPoints(AccountId=${this.accountId})`, async () => {
      const out: AccessPoint[] = [];
      for await (const r of firstPages(paginateListAccessPoints({ client: this.clients.s3control, pageSize: 1000 }, { AccountId: this.accountId }), maxPages)) out.push(...(r.AccessPointList ?? []));
      return out;
    });
  }

  /** An access point's policy; null: it has none. */
  accessPointPolicy(name: string): Promise<Fetched<PolicyDocument | null>> {
    return this.once(`s3control:GetAccessPointPolicy(AccountId=${this.accountId}, Name=${name})`, async () => {
      const r = await orNull(this.clients.s3control.send(new GetAccessPointPolicyCommand({ AccountId: this.accountId, Name: name })), NOT_FOUND.accessPointPolicy);
      return r === null ? null : parsePolicy(r.Policy ?? '{"Statement":[]}', `the policy of access point ${name}`);
    });
  }

  /** The account's Object Lambda access points in the client's region (every page, at most `maxPages` of 1,000). */
  objectLambdaAccessPoints(maxPages = 20) {
    return this.once(`s3control:ListAccessPointsForObjectLambda(AccountId=${this.accountId})`, async () => {
      const out: ObjectLambdaAccessPoint[] = [];
      for await (const r of firstPages(paginateListAccessPointsForObjectLambda({ client: this.clients.s3control, pageSize: 1000 }, { AccountId: this.accountId }), maxPages)) out.push(...(r.ObjectLambdaAccessPointList ?? []));
      return out;
    });
  }

  /** An Object Lambda access point's configuration: its supporting access point and transformations. */
  objectLambdaConfiguration(name: string) {
    return this.once(`s3control:GetAccessPointConfigurationForObjectLambda(AccountId=${this.accountId}, Name=${name})`, async () =>
      (await this.clients.s3control.send(new GetAccessPointConfigurationForObjectLambdaCommand({ AccountId: this.accountId, Name: name }))).Configuration!,
    );
  }

  /** An Object Lambda access point's policy; null: it has none. */
  objectLambdaPolicy(name: string): Promise<Fetched<PolicyDocument | null>> {
    return this.once(`s3control:GetAccessPointPolicyForObjectLambda(AccountId=${this.accountId}, Name=${name})`, async () => {
      const r = await orNull(this.clients.s3control.send(new GetAccessPointPolicyForObjectLambdaCommand({ AccountId: this.accountId, Name: name })), NOT_FOUND.accessPointPolicy);
      return r === null || !r.Policy ? null : parsePolicy(r.Policy, `the policy of Object Lambda access point ${name}`);
    });
  }

  /** A Lambda function's resource-based policy; null: it has none (Lambda answers ResourceNotFoundException). */
  lambdaPolicy(functionArn: string): Promise<Fetched<PolicyDocument | null>> {
    return this.once(`lambda:GetPolicy(FunctionName=${functionArn})`, async () => {
      try {
        const r = await this.clients.lambda.send(new GetPolicyCommand({ FunctionName: functionArn }));
        return parsePolicy(r.Policy ?? '{"Statement":[]}', `the resource policy of ${functionArn}`);
      } catch (err) {
        if ((err as { name?: string }).name === 'ResourceNotFoundException') return null;
        throw err;
      }
    });
  }

  /**
   * The bucket's Object Ownership setting; a bucket without ownership controls is ObjectWriter
   * (`set: false`); so is an answer that holds no rule.
   */
  ownershipControls() {
    return this.once(`s3:GetBucketOwnershipControls(${this.b})`, async (): Promise<OwnershipSetting> => {
      const r = await orNull(this.clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: this.bucket })), NOT_FOUND.ownershipControls);
      return { mode: ownershipModeOf(r) ?? MODE_WITHOUT_CONTROLS, set: r !== null };
    });
  }

  /** The key's listing entry with its owner (undefined: no such key). */
  listObject(key: string) {
    return this.once(`s3:ListObjectsV2(${this.b}, Prefix=${key}, MaxKeys=1, FetchOwner=true)`, async () => {
      const r = await this.clients.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1, FetchOwner: true }));
      return r.Contents?.find((c) => c.Key === key);
    });
  }

  objectAcl(key: string) {
    return this.once(`s3:GetObjectAcl(${this.b}, Key=${key})`, () => this.clients.s3.send(new GetObjectAclCommand({ Bucket: this.bucket, Key: key })));
  }

  headObject(key: string) {
    return this.once(`s3:HeadObject(${this.b}, Key=${key})`, () => this.clients.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  /** The bucket's default encryption; null: none configured. */
  bucketEncryption() {
    return this.once(`s3:GetBucketEncryption(${this.b})`, async () => {
      const r = await orNull(this.clients.s3.send(new GetBucketEncryptionCommand({ Bucket: this.bucket })), NOT_FOUND.encryption);
      return r?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault ?? null;
    });
  }

  requestPayment() {
    return this.once(`s3:GetBucketRequestPayment(${this.b})`, async () => (await this.clients.s3.send(new GetBucketRequestPaymentCommand({ Bucket: this.bucket }))).Payer ?? 'BucketOwner');
  }

  /** The bucket's Object Lock configuration; null: none. */
  objectLock() {
    return this.once(`s3:GetObjectLockConfiguration(${this.b})`, async () =>
      (await orNull(this.clients.s3.send(new GetObjectLockConfigurationCommand({ Bucket: this.bucket })), NOT_FOUND.objectLock))?.ObjectLockConfiguration ?? null,
    );
  }

  keyPolicy(keyId: string) {
    return this.once(`kms:GetKeyPolicy(KeyId=${keyId}, PolicyName=default)`, async () => {
      const r = await this.clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
      return parsePolicy(r.Policy ?? '{"Statement":[]}', `the key policy of ${keyId}`);
    });
  }

  describeKey(keyId: string) {
    return this.once(`kms:DescribeKey(KeyId=${keyId})`, async () => (await this.clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!);
  }

  listParents(childId: string) {
    return this.once(`organizations:ListParents(ChildId=${childId})`, () => this.clients.organizations.send(new ListParentsCommand({ ChildId: childId })));
  }

  listPoliciesForTarget(targetId: string, type: PolicyType) {
    return this.once(`organizations:ListPoliciesForTarget(TargetId=${targetId}, Filter=${type})`, () =>
      this.clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: targetId, Filter: type })),
    );
  }

  describePolicy(policyId: string) {
    return this.once(`organizations:DescribePolicy(PolicyId=${policyId})`, () => this.clients.organizations.send(new DescribePolicyCommand({ PolicyId: policyId })));
  }
}
