/**
 * The deploy planner, pure: facts and settings in, a plan (or a refusal) out. No AWS, no files.
 */
import { isEdgelockError } from '../../src/errors';
import { executePlan } from '../../src/origin/deploy/execute';
import type { LocalFile } from '../../src/origin/deploy/local-files';
import type { OwnershipReading } from '../../src/origin/deploy/ownership';
import { ownershipReadsNeeded, planDeploy, planWrites, withHeaders, type DeployFacts, type RecordFact, type DeployPlan, type DeployStep, type PlanSettings, type RefusedDeploy } from '../../src/origin/deploy/plan';
import { listingNeed, remoteFromRecord, type ListingInput } from '../../src/origin/deploy/listing-need';
import type { DeployRecord } from '../../src/origin/deploy/record';
import { BUCKET_OWNER_ID, OAI_ID } from './aws-mocks';
import { DEMO_AUTH, testConfig } from './fixtures';

const SAME = '222222222222'; // the environment's (and bucket owner's) account
const OTHER = '111111111111'; // the tools account

const file = (key: string, content = key, extra: Partial<LocalFile> = {}): LocalFile => ({
  key,
  path: `/site/${key}`,
  size: content.length,
  md5: `md5-${content}`,
  etag: `md5-${content}`,
  multipart: false,
  ...extra,
});
const remote = (f: LocalFile, etag = f.etag) => ({ key: f.key, etag, size: f.size });

const INDEX = file('index.html');
const ABOUT = file('about/index.html');
const CSS = file('assets/app.3f9a1c2b.css');
const SITE = [INDEX, ABOUT, CSS];

function settings(o: { adopt?: boolean; env?: Record<string, unknown>; endpoint?: string; dryRun?: boolean; prune?: boolean; verifyOwnership?: boolean; verifyProbe?: boolean; wait?: boolean; probe?: Partial<PlanSettings['probe']> } = {}): PlanSettings {
  const env = testConfig({ env: { distributionId: 'E2QWRUHAPOMQZL', ...o.env } }).environments.dev!;
  return {
    env,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    dryRun: o.dryRun ?? false,
    prune: o.prune ?? true,
    verifyOwnership: o.verifyOwnership ?? true,
    verifyProbe: o.verifyProbe ?? true,
    invalidation: { maxPaths: 500, wait: o.wait ?? true, waitSeconds: 30 },
    probe: { paths: 2, attempts: 3, credentialsEnv: 'EDGELOCK_PROBE_CREDENTIALS', ...o.probe },
    deployId: '20261201T220628000Z-a1b2c3',
    now: new Date('2026-12-01T22:06:28Z'),
    allowSecrets: [],
    pruning: { prefix: '', adopt: o.adopt ?? false, exclude: [], maxDeletes: '100%', allowDeletes: false },
  };
}

/** A record saying edgelock wrote each of these remote objects, with the headers the default rules give them. */
function recordOf(objects: readonly { key: string; etag: string; size: number }[]): RecordFact {
  const headers = new Map(withHeaders(objects.map((o) => file(o.key)), undefined, '').map((f) => [f.key, f]));
  return {
    kind: 'found',
    key: '.edgelock/deploys/20261130T100000000Z-000000.json',
    record: {
      format: 'edgelock.deploy-record/1', id: '20261130T100000000Z-000000', time: '2026-11-30T10:00:00.000Z', environment: 'dev', bucket: 'acme-site-dev', prefix: '', adopted: false,
      objects: objects.map((o) => ({ key: o.key, md5: '0'.repeat(32), etag: o.etag, size: o.size, contentType: headers.get(o.key)!.contentType, cacheControl: headers.get(o.key)!.cacheControl })),
      retained: [],
    },
  };
}

/** Facts; by default the last record lists every remote object (edgelock wrote all of them). */
function facts(o: Partial<DeployFacts> = {}): DeployFacts {
  return { local: SITE, remote: [], reading: { kind: 'read', mode: 'BucketOwnerEnforced' }, bucketOwnerId: BUCKET_OWNER_ID, record: recordOf(o.remote ?? []), ...o };
}

function planned(p: DeployPlan | RefusedDeploy): DeployPlan {
  if (p.kind === 'refused') throw new Error(`refused: ${p.refusal.message}`);
  return p;
}

const kinds = (p: DeployPlan) => p.steps.map((s) => (s.kind === 'upload' || s.kind === 'verify-ownership' ? s.phase : s.kind));
const step = <K extends DeployStep['kind']>(p: DeployPlan, kind: K) => p.steps.find((s): s is Extract<DeployStep, { kind: K }> => s.kind === kind);

describe('the ACL decision: ownership mode × caller account × origin access', () => {
  const OAC = { originAccess: 'oac' };
  const OAI = { originAccess: 'oai', oaiCanonicalUserIds: [OAI_ID] };
  const BOFC = { ACL: 'bucket-owner-full-control' };
  const GRANTS = { GrantFullControl: `id=${BUCKET_OWNER_ID}`, GrantRead: `id=${OAI_ID}` };
  const read = (mode: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter'): OwnershipReading => ({ kind: 'read', mode });

  test.each<[string, OwnershipReading, string, Record<string, unknown>, Record<string, string> | string, string | undefined]>([
    ['BucketOwnerEnforced, same account, OAC', read('BucketOwnerEnforced'), SAME, OAC, {}, 'none-needed'],
    ['BucketOwnerEnforced, cross-account, OAC', read('BucketOwnerEnforced'), OTHER, OAC, {}, 'none-needed'],
    ['BucketOwnerEnforced, same account, OAI', read('BucketOwnerEnforced'), SAME, OAI, BOFC, 'none-needed'],
    ['BucketOwnerEnforced, cross-account, OAI', read('BucketOwnerEnforced'), OTHER, OAI, BOFC, 'none-needed'],
    ['BucketOwnerPreferred, same account, OAC', read('BucketOwnerPreferred'), SAME, OAC, BOFC, 'owner'],
    ['BucketOwnerPreferred, cross-account, OAC', read('BucketOwnerPreferred'), OTHER, OAC, BOFC, 'owner'],
    ['BucketOwnerPreferred, same account, OAI', read('BucketOwnerPreferred'), SAME, OAI, BOFC, 'owner'],
    ['BucketOwnerPreferred, cross-account, OAI', read('BucketOwnerPreferred'), OTHER, OAI, BOFC, 'owner'],
    ['ObjectWriter, same account, OAC', read('ObjectWriter'), SAME, OAC, BOFC, 'owner'],
    ['ObjectWriter, cross-account, OAC', read('ObjectWriter'), OTHER, OAC, 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER', undefined],
    ['ObjectWriter, same account, OAI', read('ObjectWriter'), SAME, OAI, BOFC, 'owner'],
    ['ObjectWriter, cross-account, OAI', read('ObjectWriter'), OTHER, OAI, GRANTS, 'owner-or-oai-grant'],
    ['ObjectWriter, cross-account, OAI without canonical IDs', read('ObjectWriter'), OTHER, { originAccess: 'oai' }, 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER', undefined],
    ['unreadable, same account, OAC', { kind: 'denied' }, SAME, OAC, BOFC, 'owner'],
    ['unreadable, cross-account, OAC', { kind: 'denied' }, OTHER, OAC, 'DEPLOY_REFUSED_OWNERSHIP_UNREADABLE', undefined],
    ['unreadable, same account, OAI', { kind: 'denied' }, SAME, OAI, BOFC, 'owner'],
    ['unreadable, cross-account, OAI', { kind: 'denied' }, OTHER, OAI, 'DEPLOY_REFUSED_OWNERSHIP_UNREADABLE', undefined],
    ['not implemented by the endpoint, OAC', { kind: 'unsupported' }, OTHER, OAC, {}, 'unsupported'],
  ])('%s', (_name, reading, caller, env, expected, verify) => {
    const p = planDeploy(facts({ reading, callerAccountId: caller }), settings({ env }));
    if (typeof expected === 'string') {
      expect(p.kind).toBe('refused');
      const refusal = (p as RefusedDeploy).refusal;
      expect(refusal.code).toBe(expected);
      expect(refusal.message).toMatch(/Nothing was written/);
      return;
    }
    const plan = planned(p);
    expect(plan.acl.params).toEqual(expected);
    expect(plan.acl.verify).toBe(verify);
    // The ownership check reads each object's ACL exactly when the decision says ownership must be checked.
    const checks = plan.steps.filter((s) => s.kind === 'verify-ownership');
    expect(checks.map((s) => s.kind === 'verify-ownership' && s.perObject)).toEqual(Array(2).fill(verify === 'owner' || verify === 'owner-or-oai-grant'));
  });

  test('no caller account at all is treated as another account', () => {
    const p = planDeploy(facts({ reading: { kind: 'denied' } }), settings());
    expect(p.kind === 'refused' && p.refusal.code).toBe('DEPLOY_REFUSED_OWNERSHIP_UNREADABLE');
    expect(p.kind === 'refused' && p.refusal.message).toMatch(/an account STS could not name/);
  });

  test('a per-object check without the bucket owner\'s canonical ID is refused, with the warnings said first; without the check it goes ahead', () => {
    const f = facts({ reading: { kind: 'read', mode: 'BucketOwnerPreferred' }, bucketOwnerId: undefined });
    const refused = planDeploy(f, settings());
    expect(refused.kind).toBe('refused');
    expect(isEdgelockError((refused as RefusedDeploy).refusal, 'DEPLOY_REFUSED')).toBe(true);
    expect((refused as RefusedDeploy).refusal.message).toMatch(/cannot verify object ownership in acme-site-dev: .*s3:GetBucketAcl denied\)\. Nothing was written\./);
    expect(refused.warnings).toEqual([expect.stringMatching(/uses BucketOwnerPreferred/)]);
    const unchecked = planned(planDeploy(f, settings({ verifyOwnership: false })));
    expect(unchecked.notRun.ownership).toBe('turned off');
    expect(kinds(unchecked)).toEqual(['mark-pending', 'upload-assets', 'upload-html', 'probe', 'record']);
  });
});

describe('what to read after the ownership', () => {
  test.each<[OwnershipReading, string | undefined, { bucketOwner: boolean; callerAccount: boolean }]>([
    [{ kind: 'read', mode: 'BucketOwnerEnforced' }, undefined, { bucketOwner: false, callerAccount: false }],
    [{ kind: 'read', mode: 'BucketOwnerPreferred' }, undefined, { bucketOwner: true, callerAccount: false }],
    [{ kind: 'read', mode: 'ObjectWriter' }, undefined, { bucketOwner: true, callerAccount: true }],
    [{ kind: 'read', mode: 'ObjectWriter' }, 'http://127.0.0.1:4568', { bucketOwner: true, callerAccount: false }],
    [{ kind: 'denied' }, undefined, { bucketOwner: true, callerAccount: true }],
    [{ kind: 'denied' }, 'http://127.0.0.1:4568', { bucketOwner: true, callerAccount: true }],
    [{ kind: 'unsupported' }, 'http://127.0.0.1:4568', { bucketOwner: false, callerAccount: false }],
  ])('%j at endpoint %s', (reading, endpoint, expected) => {
    expect(ownershipReadsNeeded(reading, endpoint ? { endpoint } : {})).toEqual(expected);
  });
});

describe('the ownership is read only for a deploy that writes', () => {
  const unread = (o: Partial<DeployFacts> = {}, s: Parameters<typeof settings>[0] = {}) => planned(planDeploy(facts({ reading: { kind: 'unread' }, ...o }), settings(s)));
  const synced = SITE.map((f) => remote(f));
  // The record the last deploy wrote for exactly this site (what a no-op redeploy finds).
  const last = (): RecordFact => ({ kind: 'found', key: '.edgelock/deploys/20261130T100000000Z-000000.json', record: step(unread({ remote: synced }), 'record')!.record });

  test.each<[string, () => DeployPlan, boolean]>([
    ['nothing changed: no write', () => unread({ remote: synced, record: last() }), false],
    ['nothing changed, dry run', () => unread({ remote: synced, record: last() }, { dryRun: true }), false],
    ['a changed file', () => unread({ remote: [remote(INDEX, 'older'), remote(ABOUT), remote(CSS)] }), true],
    ['a changed file, dry run (its ACL is shown)', () => unread({ remote: [remote(INDEX, 'older'), remote(ABOUT), remote(CSS)] }, { dryRun: true }), true],
    ['a first deploy of a synced bucket: it writes the first record', () => unread({ remote: synced, record: { kind: 'none' } }), true],
    ['a recorded key to prune', () => unread({ local: [INDEX, ABOUT], remote: synced, record: recordOf(synced) }), true],
  ])('%s', (_name, plan, writes) => {
    const p = plan();
    expect(planWrites(p)).toBe(writes);
    expect(p.acl).toMatchObject({ params: {}, verify: 'nothing-written', description: 'not read: this deploy writes nothing' });
  });

  test('a plan that writes with the ownership unread is refused before any request', async () => {
    const p = unread({ remote: [remote(INDEX, 'older'), remote(ABOUT), remote(CSS)] });
    const send = jest.fn();
    const io = { s3: { send } as never, bucket: 'acme-site-dev', attempts: 1 };
    const clients = { s3: io.s3, cloudfront: jest.fn(), sts: jest.fn() } as never;
    const err = await executePlan(p, { io, clients, concurrency: 4, emit: () => undefined, started: Date.now() }).catch((e: unknown) => e);
    expect(isEdgelockError(err) && err.code).toBe('DEPLOY_FAILED');
    expect((err as Error).message).toMatch(/Object Ownership was not read\. Nothing was written/);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('the steps and their order', () => {
  test('assets, their check, HTML, its check, invalidation, probe, prune', () => {
    const stale = file('old.html');
    const p = planned(planDeploy(facts({ remote: [remote(INDEX, 'older'), remote(stale)], reading: { kind: 'read', mode: 'BucketOwnerPreferred' } }), settings({ probe: { credentials: 'demo:x' } })));
    expect(kinds(p)).toEqual(['mark-pending', 'upload-assets', 'verify-assets', 'upload-html', 'verify-html', 'invalidate', 'probe', 'prune', 'record']);
    expect(step(p, 'upload')!.files.map((f) => f.key)).toEqual(['assets/app.3f9a1c2b.css']);
    expect(p.uploads.map((f) => f.key)).toEqual(['assets/app.3f9a1c2b.css', 'about/index.html', 'index.html']);
    const checks = p.steps.filter((s): s is Extract<DeployStep, { kind: 'verify-ownership' }> => s.kind === 'verify-ownership');
    // Every site key is checked, not only the uploaded ones.
    expect(checks.map((s) => s.keys)).toEqual([['assets/app.3f9a1c2b.css'], ['index.html', 'about/index.html']]);
    expect(step(p, 'invalidate')).toEqual({ kind: 'invalidate', distributionId: 'E2QWRUHAPOMQZL', paths: ['/', '/index.html', '/old.html'], wait: true, timeoutMs: 30_000 });
    expect(step(p, 'prune')).toMatchObject({ kind: 'prune', keys: ['old.html'], afterInvalidation: true, recorded: [expect.objectContaining({ key: 'old.html' })] });
  });

  test('a dry run has no steps, keeps the decisions, and says why nothing was checked', () => {
    const p = planned(planDeploy(facts({ remote: [remote(file('old.html'))] }), settings({ dryRun: true })));
    expect(p.steps).toEqual([]);
    expect(p.dryRun).toBe(true);
    expect(p.notRun).toEqual({ ownership: 'dry run', probe: 'dry run' });
    expect(p.invalidation).toEqual({ paths: ['/old.html'] });
    expect(p.changes.add.map((f) => f.key)).toEqual(['index.html', 'about/index.html', 'assets/app.3f9a1c2b.css']);
    expect(p.changes.delete).toEqual(['old.html']);
  });

  test.each([
    [true, ['old.html'], [], true],
    [false, [], [{ key: 'old.html', reason: '--no-prune' }], false],
  ])('prune %s: delete %j, keep %j, prune step %s', (prune, deleted, kept, hasPrune) => {
    const p = planned(planDeploy(facts({ remote: [...SITE.map((f) => remote(f)), remote(file('old.html'))] }), settings({ prune })));
    expect(p.changes.delete).toEqual(deleted);
    expect(p.changes.kept).toEqual(kept);
    expect(step(p, 'prune') !== undefined).toBe(hasPrune);
    expect(p.invalidation).toEqual(prune ? { paths: ['/old.html'] } : { paths: [], skipped: 'nothing changed or deleted' });
  });

  test('nothing changed: empty waves still run, no invalidation, the probe has nothing to probe', () => {
    const p = planned(planDeploy(facts({ remote: SITE.map((f) => remote(f)) }), settings()));
    expect(kinds(p)).toEqual(['upload-assets', 'verify-assets', 'upload-html', 'verify-html', 'skip-probe', 'record']);
    expect(p.uploads).toEqual([]);
    expect(p.invalidation.skipped).toBe('nothing changed or deleted');
    expect(step(p, 'skip-probe')).toEqual({ kind: 'skip-probe', reason: 'nothing was uploaded', warn: false });
  });

  test.each<[string, Parameters<typeof settings>[0], string]>([
    ['a plain S3 endpoint', { endpoint: 'http://127.0.0.1:4568' }, '--endpoint http://127.0.0.1:4568 is not behind CloudFront: no invalidation'],
    ['no distribution yet', { env: { distributionId: undefined } }, 'environment "dev" has no distributionId yet: no invalidation'],
  ])('%s: no invalidation, and the prune does not wait for one', (_name, s, reason) => {
    const p = planned(planDeploy(facts({ remote: [remote(INDEX, 'older'), remote(file('old.html'))] }), settings(s)));
    expect(p.invalidation.skipped).toBe(reason);
    expect(step(p, 'invalidate')).toBeUndefined();
    expect(step(p, 'prune')).toMatchObject({ afterInvalidation: false });
  });
});

describe('the invalidation wait: only when a probe or a prune depends on it', () => {
  test.each<[string, boolean, boolean, boolean, boolean, boolean]>([
    // name, deploy.invalidation.wait, probe on, something uploaded, something deleted, waits
    ['probe and prune', true, true, true, true, true],
    ['probe only', true, true, true, false, true],
    ['prune only', true, false, false, true, true],
    ['probe off, nothing deleted', true, false, true, false, false],
    ['probe on but nothing uploaded; something deleted', true, true, false, true, true],
    ['wait turned off, probe and prune', false, true, true, true, false],
  ])('%s', (_name, wait, verifyProbe, uploaded, deleted, waits) => {
    const changedRemote = uploaded ? [remote(INDEX, 'older'), remote(ABOUT), remote(CSS)] : SITE.map((f) => remote(f));
    const p = planned(planDeploy(facts({ remote: [...changedRemote, ...(deleted ? [remote(file('old.html'))] : [])] }), settings({ wait, verifyProbe, probe: { credentials: 'demo:x' } })));
    expect(step(p, 'invalidate')!.wait).toBe(waits);
  });
});

describe('the probe, or why there is none', () => {
  const changed = () => facts({ remote: [remote(INDEX, 'older'), remote(ABOUT), remote(CSS)] });

  test.each<[string, Parameters<typeof settings>[0], DeployStep]>([
    ['turned off', { verifyProbe: false }, { kind: 'skip-probe', reason: 'turned off', warn: false }],
    ['a plain endpoint without a base URL', { endpoint: 'http://127.0.0.1:4568' }, { kind: 'skip-probe', reason: '--endpoint http://127.0.0.1:4568 is not behind CloudFront: no probe', warn: false }],
    [
      'auth without credentials (said as a warning)',
      { env: { auth: true } },
      { kind: 'skip-probe', reason: 'environment "dev" has auth and no probe credentials were given (--probe-credentials or $EDGELOCK_PROBE_CREDENTIALS)', warn: true },
    ],
    ['the given base URL, no auth: no credentials sent', { probe: { baseUrl: 'http://127.0.0.1:9000', credentials: 'demo:x' } }, { kind: 'probe', targets: [{ path: '/index.html', md5: INDEX.md5 }], base: { url: 'http://127.0.0.1:9000' }, attempts: 3 }],
    ['a plain endpoint with a base URL', { endpoint: 'http://127.0.0.1:4568', probe: { baseUrl: 'http://127.0.0.1:9000' } }, { kind: 'probe', targets: [{ path: '/index.html', md5: INDEX.md5 }], base: { url: 'http://127.0.0.1:9000' }, attempts: 3 }],
    ['the environment\'s domain', { env: { domain: 'preview.example.com', certificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/12345678-1234-1234-1234-123456789012' } }, { kind: 'probe', targets: [{ path: '/index.html', md5: INDEX.md5 }], base: { url: 'https://preview.example.com' }, attempts: 3 }],
    ['the distribution\'s own domain, with auth credentials', { env: { auth: true }, probe: { credentials: 'demo:x' } }, { kind: 'probe', targets: [{ path: '/index.html', md5: INDEX.md5 }], base: { distributionId: 'E2QWRUHAPOMQZL' }, credentials: 'demo:x', attempts: 3 }],
  ])('%s', (_name, s, expected) => {
    const plan = planned(planDeploy(changed(), settingsWithAuth(s)));
    expect(plan.steps.find((x) => x.kind === 'probe' || x.kind === 'skip-probe')).toEqual(expected);
  });

  test('targets: changed HTML first, never a multipart file, at most deploy.verify.probePaths', () => {
    const big = file('media/big.bin', 'big', { multipart: true });
    const f = facts({ local: [...SITE, big], remote: [] });
    const probe = step(planned(planDeploy(f, settings({ probe: { paths: 3 } }))), 'probe')!;
    expect(probe.targets.map((t) => t.path)).toEqual(['/index.html', '/about/index.html', '/assets/app.3f9a1c2b.css']);
  });
});

/** `settings`, with an auth block in the config when the environment turns auth on. */
function settingsWithAuth(o: Parameters<typeof settings>[0]): PlanSettings {
  if (!o?.env?.auth) return settings(o);
  const base = settings({ ...o, env: { ...o.env, auth: false } });
  const env = testConfig({
    env: { distributionId: 'E2QWRUHAPOMQZL', ...o.env },
    auth: DEMO_AUTH,
  }).environments.dev!;
  return { ...base, env };
}

describe('a full listing, or the last record and a HEAD per dropped key', () => {
  const rec = (over: Partial<DeployRecord> = {}): RecordFact => ({
    kind: 'found',
    key: '.edgelock/deploys/20261130T100000000Z-0a0b0c.json',
    record: {
      format: 'edgelock.deploy-record/1', id: '20261130T100000000Z-0a0b0c', time: '2026-11-30T10:00:00.000Z', environment: 'dev', bucket: 'acme-site-dev', prefix: '', adopted: false,
      objects: ['index.html', 'old.html'].map((key) => ({ key, md5: '0'.repeat(32), etag: `etag-${key}`, size: 3, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' })),
      retained: [{ key: 'kept.txt', md5: '1'.repeat(32), etag: 'etag-kept', size: 4, contentType: 'text/plain; charset=utf-8', cacheControl: 'no-cache' }],
      ...over,
    },
  });
  const input = (over: Partial<ListingInput> = {}): ListingInput => ({ record: rec(), pendingNewer: [], bucket: 'acme-site-dev', prefix: '', localKeys: new Set(['index.html', 'new.html']), dryRun: false, adopt: false, fullListing: false, ...over });

  test('a trusted record: HEAD only the recorded keys the site no longer has (retained ones too)', () => {
    expect(listingNeed(input())).toEqual({ list: false, heads: ['kept.txt', 'old.html'] });
  });

  test.each<[string, Partial<ListingInput>, RegExp]>([
    ['--full-listing', { fullListing: true }, /--full-listing/],
    ['no record', { record: { kind: 'none' } }, /no deploy record yet/],
    ['an untrusted record', { record: { kind: 'invalid', key: 'k', problem: 'p' } }, /not trusted/],
    ['a record of another bucket', { record: rec({ bucket: 'other-bucket' }) }, /describes other-bucket\//],
    ['a record of another prefix', { prefix: 'site/' }, /not acme-site-dev\/site\//],
    ['--adopt', { adopt: true }, /--adopt prunes every key/],
    ['a dry run', { dryRun: true }, /dry run shows every key/],
    ['a deploy that wrote objects and no record', { pendingNewer: ['20261201T100000000Z-aaaaaa'] }, /deploy 20261201T100000000Z-aaaaaa started writing after the last record/],
    ['more dropped keys than HEADs allowed', { maxHeads: 1 }, /2 recorded keys the site no longer has, more than 1/],
  ])('lists the bucket for %s', (_name, over, reason) => {
    const need = listingNeed(input(over));
    expect(need.list).toBe(true);
    expect(need.list && need.reason).toMatch(reason);
  });

  test('the bucket as the record describes it: the site\'s recorded keys with their stored ETags, and what the HEADs found', () => {
    const remote = remoteFromRecord(rec(), new Set(['index.html', 'new.html']), [{ key: 'old.html', etag: 'changed-by-hand', size: 9 }, undefined]);
    expect(remote).toEqual([{ key: 'index.html', etag: 'etag-index.html', size: 3 }, { key: 'old.html', etag: 'changed-by-hand', size: 9 }]);
    // The planner then keeps the hand-edited key and deletes nothing it cannot prove is edgelock's.
    const local = [{ key: 'index.html', path: '/s/index.html', size: 3, md5: '0'.repeat(32), etag: '0'.repeat(32), multipart: false }];
    const p = planDeploy({ local, remote, record: rec(), reading: { kind: 'unsupported' }, basis: { kind: 'record', heads: 2 } }, settings()) as DeployPlan;
    expect(p.changes.delete).toEqual([]);
    expect(p.changes.kept).toEqual([{ key: 'old.html', reason: expect.stringMatching(/changed since edgelock wrote it/) }]);
    expect(p.compared.basis).toEqual({ kind: 'record', heads: 2 });
  });
});
