/**
 * Three outcomes that never blur. AWS not reached, or the credentials not accepted: one message,
 * exit 2, no check results. A read refused to the doctor's caller: that check is `unknown`, naming
 * the action and the kind of policy that refused it. Only a fact AWS returned makes a `problem`:
 * refusing any read can turn problems into unknowns, never add one.
 */
import { doctorCommand } from '../../src/cli/commands/doctor';
import type { DoctorReport } from '../../src/origin/doctor';
import { parseRefusal } from '../../src/origin/doctor/denial';
import { isEdgelockError } from '../../src/errors';
import { writeJsonConfig, validConfig } from '../helpers/config';
import { SEED_ENV, seedWorld } from './scenarios';
import { DIST, ENV, KMS_KEY, OWNER_ID, READS, healthyWorld, mockWorld, type Read, type Refusal, type World, runWorld } from './world';

const run = (w: World, env = ENV) => runWorld({ env, distributionId: DIST, clients: mockWorld(w) });
const problems = (r: DoctorReport) => r.results.filter((c) => c.status === 'problem').map((c) => c.reason).sort();
const text = (r: DoctorReport) => r.results.map((c) => `${c.summary} ${c.fix ?? ''} ${c.evidence.map((e) => `${e.call} ${e.seen}`).join(' ')}`).join('\n');

describe('AWS not reached, or the credentials not accepted', () => {
  test.each([
    ['a refused connection (which carries $metadata too)', 'unreachable', /cannot reach AWS: sts:GetCallerIdentity\(\) got no answer \(ECONNREFUSED: connect ECONNREFUSED 52\.95\.150\.10:443\)/],
    ['an expired token', 'expired-token', /AWS did not accept the credentials \(ExpiredToken: The security token included in the request is expired\)/],
    ['no credentials at all', 'no-credentials', /AWS did not accept the credentials \(CredentialsProviderError: Could not load credentials from any providers\)/],
  ] as const)('%s: AWS_UNREACHABLE, exit 2, no check results', async (_name, failure, says) => {
    const err = await run({ ...healthyWorld(), failure }).catch((e: unknown) => e);
    expect(isEdgelockError(err, 'AWS_UNREACHABLE')).toBe(true);
    expect((err as Error).message).toMatch(says);
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });

  test('the CLI prints one line on stderr and nothing on stdout, and exits 2', async () => {
    const config = writeJsonConfig(validConfig({}, { prod: { distributionId: DIST } }));
    let out = '';
    const err = await doctorCommand({ config, env: 'prod' }, mockWorld({ ...healthyWorld(), failure: 'unreachable' }), (s) => (out += s)).catch((e: unknown) => e);
    expect(out).toBe('');
    expect(isEdgelockError(err, 'AWS_UNREACHABLE')).toBe(true);
    expect((err as Error).message).not.toMatch(/LIKELIEST|does not exist|Block Public Access/);
  });
});

describe('AWS\'s refusal messages', () => {
  test.each([
    ['User: arn:aws:sts::333333333333:assumed-role/ReadOnly/doctor is not authorized to perform: s3:GetBucketAcl on resource: "arn:aws:s3:::b" because no identity-based policy allows the s3:GetBucketAcl action', { action: 's3:GetBucketAcl', policy: 'identity-based policy', explicit: false }],
    ['User: arn:aws:sts::333333333333:assumed-role/R/s is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::b" with an explicit deny in a service control policy', { action: 's3:ListBucket', policy: 'service control policy', explicit: true }],
    ['User: x is not authorized to perform: s3:GetObjectAcl on resource: "arn:aws:s3:::b/k" with an explicit deny in a resource-based policy', { action: 's3:GetObjectAcl', policy: 'resource-based policy', explicit: true }],
    ['User: x is not authorized to perform: s3:GetBucketPolicy on resource: "arn:aws:s3:::b" with an explicit deny in a resource control policy', { action: 's3:GetBucketPolicy', policy: 'resource control policy', explicit: true }],
    ['User: x is not authorized to perform: kms:GetKeyPolicy on resource: k because no resource-based policy allows the kms:GetKeyPolicy action', { action: 'kms:GetKeyPolicy', policy: 'resource-based policy', explicit: false }],
    ['User: x is not authorized to perform: s3:GetBucketAcl on resource: b because no permissions boundary allows the s3:GetBucketAcl action', { action: 's3:GetBucketAcl', policy: 'permissions boundary', explicit: false }],
    ['Access Denied', { action: 's3:GetObjectAcl' }],
  ])('%s', (message, refusal) => {
    expect(parseRefusal(message, 's3:GetObjectAcl')).toEqual(refusal);
  });
});

const HOWS: [string, Refusal][] = [
  ['no identity-based policy allows it', { policy: 'identity-based policy' }],
  ['an explicit deny in a service control policy', { policy: 'service control policy', explicit: true }],
  ['an explicit deny in a resource-based policy', { policy: 'resource-based policy', explicit: true }],
  ['bare Access Denied', 'bare'],
];

/** Worlds whose reads cover every call the doctor makes: healthy OAC, SSE-KMS, and the seed (OAI, foreign owner). */
const WORLDS: [string, () => World, typeof ENV][] = [
  ['healthy', healthyWorld, ENV],
  ['SSE-KMS', () => ({ ...healthyWorld(), ownership: 'BucketOwnerPreferred', objects: { 'index.html': { ownerId: OWNER_ID, sse: 'aws:kms', kmsKeyId: KMS_KEY } }, kms: { manager: 'CUSTOMER', policy: { Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }] } } }), ENV],
  ['seed', seedWorld, SEED_ENV],
];

describe.each(WORLDS)('the %s world: refusing any read adds no problem', (_w, world, env) => {
  let baseline: DoctorReport;
  beforeAll(async () => {
    baseline = await run(world(), env);
  });

  // Each read refused once per world, the kinds of refusal taking turns (the parser has its own table above).
  test.each((Object.keys(READS) as Read[]).map((action, i) => [action, ...HOWS[i % HOWS.length]!] as const))('%s refused (%s)', async (action, _how, how) => {
    const report = await run({ ...world(), refuse: { [action]: how } }, env);
    const base = problems(baseline);
    // Every problem still found was found with every read answered: a refusal never makes one.
    for (const p of problems(report)) expect(base).toContain(p);
    // Where the read shows in the evidence, the refusal names the action it refused.
    const api = READS[action][1].name.replace(/Command$/, '');
    if (baseline.results.some((c) => c.evidence.some((e) => e.call.includes(`:${api}(`)))) {
      expect(text(report)).toContain(`${action}`);
      if (typeof how === 'object' && action !== 's3:GetObject') expect(text(report)).toContain(how.policy);
    }
  });
});

describe('the seed bug: the caller refused GetBucketAcl, ListObjectsV2 and GetObjectAcl', () => {
  test('an object the bucket owner owns is not called foreign-owned', async () => {
    const identity = { policy: 'identity-based policy' } as const;
    const w: World = { ...healthyWorld(), ownership: null, refuse: { 's3:GetBucketAcl': identity, 's3:ListBucket': identity, 's3:GetObjectAcl': identity } };
    const report = await run(w);
    const own = report.results.find((r) => r.id === 'object-ownership')!;
    expect(own.status).toBe('unknown');
    expect(own.summary).toMatch(/GetObjectAcl on index\.html was refused \(refused s3:GetObjectAcl: no identity-based policy allows it\)/);
    expect(own.fix).toMatch(/s3:ListBucket and s3:GetBucketAcl/);
    expect(report.cause).toBeUndefined();
  });

  test('a bare refusal of the ACL alone is not evidence either, even for the bucket owner\'s account', async () => {
    const w: World = { ...seedWorld(), refuse: { 's3:ListBucket': 'bare', 's3:GetBucketAcl': 'bare' } };
    const own = (await run(w, SEED_ENV)).results.find((r) => r.id === 'object-ownership')!;
    expect(own.status).toBe('unknown');
    expect(own.summary).toMatch(/a refusal is not evidence of who owns it/);
  });

  test('with the listing answered, the owner ID is the evidence: foreign-owned', async () => {
    const report = await run({ ...seedWorld(), refuse: { 's3:GetObjectAcl': { policy: 'identity-based policy' } } }, SEED_ENV);
    expect(report.cause?.reason).toBe('object-foreign-owner');
  });
});

describe('a refusal is unknown, naming the action and the policy kind', () => {
  test.each([
    ['cloudfront:GetDistributionConfig', 'distribution', /could not be read \(refused cloudfront:GetDistributionConfig: an explicit deny in a service control policy\)/, /service control policy of the organization refuses cloudfront:GetDistributionConfig/],
    ['s3:GetBucketPolicy', 'bucket-policy', /could not be read \(refused s3:GetBucketPolicy: an explicit deny in a service control policy\)/, /run the doctor from a role the SCP exempts/],
    ['s3:GetBucketPublicAccessBlock', 'block-public-access', /refused s3:GetBucketPublicAccessBlock: an explicit deny in a service control policy/, /service control policy/],
  ] as const)('%s', async (action, id, says, fix) => {
    const r = (await run({ ...healthyWorld(), accountPab: null, refuse: { [action]: { policy: 'service control policy', explicit: true } } })).results.find((c) => c.id === id)!;
    expect(r).toMatchObject({ status: 'unknown', summary: expect.stringMatching(says), fix: expect.stringMatching(fix) });
  });

  test('with the distribution refused, the configured access stands in, and what it finds is unknown, not a problem', async () => {
    const report = await run({ ...healthyWorld(), bucketPolicy: null, refuse: { 'cloudfront:GetDistributionConfig': { policy: 'identity-based policy' } } });
    const bp = report.results.find((c) => c.id === 'bucket-policy')!;
    expect(bp).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^if the distribution reaches the bucket with the origin access control the config says/) });
    expect(report.cause).toBeUndefined();
  });

  test('DescribeKey refused still decides on the key policy AWS returned', async () => {
    const [, world] = WORLDS[1]!;
    const r = (await run({ ...world(), describeKey: 'AccessDeniedException' })).results.find((c) => c.id === 'encryption')!;
    expect(r.status).toBe('ok');
    expect(r.evidence.find((e) => e.call.startsWith('kms:DescribeKey'))!.seen).toMatch(/^AccessDeniedException \(HTTP 400\): User: .* because no resource-based policy allows the kms:DescribeKey action$/);
  });
});
