/**
 * What a deploy may delete, decided without I/O: only keys the last record lists that still carry
 * the recorded ETag; --adopt, --no-prune, deploy.exclude, deploy.maxDeletes; and how the planner
 * uses the record (SSE-KMS change detection, header fixes, the next record).
 */
import type { RemoteObject } from '../../src/origin/deploy/changes';
import { compareSite } from '../../src/origin/deploy/changes';
import { planDeploy, withHeaders, type DeployPlan, type PlanSettings } from '../../src/origin/deploy/plan';
import { decidePrune, deleteLimit, type PruneRules } from '../../src/origin/deploy/prune';
import type { RecordedObject } from '../../src/origin/deploy/record';
import { testConfig } from './fixtures';

const rec = (key: string, etag: string, extra: Partial<RecordedObject> = {}): RecordedObject => ({
  key, md5: 'a'.repeat(32), etag, size: 10, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache', ...extra,
});
const obj = (key: string, etag: string): RemoteObject => ({ key, etag, size: 10 });
const rules = (o: Partial<PruneRules> = {}): PruneRules => ({ prune: true, adopt: false, exclude: [], prefix: '', maxDeletes: '100%', allowDeletes: false, ...o });
const written = (...xs: RecordedObject[]) => new Map(xs.map((x) => [x.key, x]));

const FOREIGN = [obj('uploads/customer-123/scan.pdf', 'f1'), obj('AWSLogs/222222222222/CloudFront/E2QW.2026-12-01.gz', 'f2')];

describe('decidePrune', () => {
  test.each<[string, RemoteObject[], Map<string, RecordedObject>, boolean, Partial<PruneRules>, string[], [string, RegExp][]]>([
    ['a recorded key with the recorded ETag is deleted; foreign keys are kept', [obj('old.html', 'e1'), ...FOREIGN], written(rec('old.html', 'e1')), true, {}, ['old.html'],
      [['uploads/customer-123/scan.pdf', /^not written by edgelock$/], ['AWSLogs/222222222222/CloudFront/E2QW.2026-12-01.gz', /^not written by edgelock$/]]],
    ['a recorded key that changed since is kept', [obj('old.html', 'other')], written(rec('old.html', 'e1')), true, {}, [], [['old.html', /not written by edgelock: changed since edgelock wrote it \(ETag other, recorded e1\)/]]],
    ['no record: nothing is deleted, and --adopt is named', [obj('old.html', 'e1'), ...FOREIGN], written(), false, {}, [], [
      ['old.html', /no deploy record yet \(pass --adopt/], ['uploads/customer-123/scan.pdf', /no deploy record yet/], ['AWSLogs/222222222222/CloudFront/E2QW.2026-12-01.gz', /no deploy record yet/]]],
    ['--adopt deletes everything under the prefix the site no longer has', [obj('old.html', 'e1'), ...FOREIGN], written(), false, { adopt: true }, ['old.html', ...FOREIGN.map((f) => f.key)], []],
    ['deploy.exclude protects, even with --adopt', [obj('old.html', 'e1'), ...FOREIGN], written(rec('old.html', 'e1')), true, { adopt: true, exclude: ['uploads/', 'AWSLogs/**', 'old.html'] }, [],
      [['old.html', /deploy.exclude/], ['uploads/customer-123/scan.pdf', /deploy.exclude/], ['AWSLogs/222222222222/CloudFront/E2QW.2026-12-01.gz', /deploy.exclude/]]],
    ['--no-prune keeps even what edgelock wrote', [obj('old.html', 'e1')], written(rec('old.html', 'e1')), true, { prune: false }, [], [['old.html', /^--no-prune$/]]],
    ['exclude is matched under the prefix', [obj('site/keep/a.txt', 'e1'), obj('site/b.txt', 'e2')], written(rec('site/keep/a.txt', 'e1'), rec('site/b.txt', 'e2')), true, { prefix: 'site/', exclude: ['/keep/'] }, ['site/b.txt'],
      [['site/keep/a.txt', /deploy.exclude/]]],
  ])('%s', (_name, gone, w, hasRecord, r, deleted, kept) => {
    const d = decidePrune(gone, w, hasRecord, gone.length + 3, rules(r));
    expect(d.delete).toEqual(deleted);
    expect(d.kept.map((k) => k.key)).toEqual(kept.map(([k]) => k));
    kept.forEach(([, reason], i) => expect(d.kept[i]!.reason).toMatch(reason));
    expect(d.tooMany).toBeUndefined();
  });

  test('a key the new site still references (a pre-flight ignore, an unchecked link) is kept and retained, even with --adopt', () => {
    const referenced = new Map([['legacy/app.js', 'index.html:7'], ['uploads/customer-123/scan.pdf', 'docs/index.html:2']]);
    const gone = [obj('legacy/app.js', 'e1'), obj('old.css', 'e2'), ...FOREIGN];
    const d = decidePrune(gone, written(rec('legacy/app.js', 'e1'), rec('old.css', 'e2')), true, 10, rules({ referenced }));
    expect(d.delete).toEqual(['old.css']);
    expect(d.kept[0]).toEqual({ key: 'legacy/app.js', reason: 'still referenced by index.html:7 (the new site links it but no longer has it)' });
    // A foreign key stays "not written by edgelock", referenced or not.
    expect(d.kept[1]).toEqual({ key: 'uploads/customer-123/scan.pdf', reason: 'not written by edgelock' });
    expect(d.retained.map((r) => r.key)).toEqual(['legacy/app.js']);
    const adopted = decidePrune(gone, written(), false, 10, rules({ referenced, adopt: true }));
    expect(adopted.delete).toEqual(['old.css', 'AWSLogs/222222222222/CloudFront/E2QW.2026-12-01.gz']);
    expect(adopted.kept.map((k) => k.key)).toEqual(['legacy/app.js', 'uploads/customer-123/scan.pdf']);
  });

  test('keys edgelock wrote and kept (--no-prune, exclude) are carried into the next record; foreign ones are not', () => {
    const d = decidePrune([obj('old.html', 'e1'), obj('x.txt', 'changed'), ...FOREIGN], written(rec('old.html', 'e1'), rec('x.txt', 'e9')), true, 10, rules({ prune: false }));
    expect(d.retained.map((r) => r.key)).toEqual(['old.html']);
  });

  test.each<[number | string, number, number]>([
    [10, 999, 10], [0, 5, 0], ['50%', 10, 5], ['50%', 3, 1], ['100%', 7, 7], ['0%', 100, 0],
  ])('deleteLimit(%j of %d) = %d', (max, managed, expected) => expect(deleteLimit(max, managed)).toBe(expected));

  test('more deletes than deploy.maxDeletes refuses, naming the count, the limit and --allow-deletes; --allow-deletes passes', () => {
    const w = written(...Array.from({ length: 10 }, (_, i) => rec(`p${i}.html`, `e${i}`)));
    const gone = Array.from({ length: 6 }, (_, i) => obj(`p${i}.html`, `e${i}`));
    const refused = decidePrune(gone, w, true, 10, rules({ maxDeletes: '50%' }));
    expect(refused.tooMany).toMatch(/would delete 6 key\(s\), more than deploy.maxDeletes \(50% of 10 = 5\).*Nothing was written.*--allow-deletes/);
    expect(decidePrune(gone, w, true, 10, rules({ maxDeletes: 6 })).tooMany).toBeUndefined();
    expect(decidePrune(gone, w, true, 10, rules({ maxDeletes: 5 })).tooMany).toMatch(/more than deploy.maxDeletes \(5\)/);
    expect(decidePrune(gone, w, true, 10, rules({ maxDeletes: '50%', allowDeletes: true })).tooMany).toBeUndefined();
  });

  test('with --adopt the percentage is of every key under the prefix', () => {
    const gone = Array.from({ length: 3 }, (_, i) => obj(`p${i}`, 'e'));
    expect(decidePrune(gone, written(), false, 4, rules({ adopt: true, maxDeletes: '50%' })).tooMany).toMatch(/50% of 4 = 2/);
    expect(decidePrune(gone, written(), false, 6, rules({ adopt: true, maxDeletes: '50%' })).tooMany).toBeUndefined();
  });
});

describe('change detection with the record', () => {
  const local = withHeaders([{ key: 'index.html', path: '/s/index.html', size: 10, md5: 'a'.repeat(32), etag: 'a'.repeat(32), multipart: false }], undefined, '');

  test('an SSE-KMS ETag (not an MD5) is unchanged when the record stored it for the same MD5', () => {
    const kms = obj('index.html', 'kms0000000000000000000000000000f');
    expect(compareSite(local, [kms]).change.map((f) => f.key)).toEqual(['index.html']);
    const c = compareSite(local, [kms], written(rec('index.html', kms.etag)));
    expect(c.unchanged.map((f) => f.key)).toEqual(['index.html']);
    expect(c.restamp).toEqual([]);
  });

  test('the record\'s ETag for other content does not count', () => {
    const c = compareSite(local, [obj('index.html', 'kms1')], written(rec('index.html', 'kms1', { md5: 'b'.repeat(32) })));
    expect(c.change.map((f) => f.key)).toEqual(['index.html']);
  });

  test.each<[string, RecordedObject | undefined, boolean]>([
    ['recorded with the same headers', rec('index.html', 'a'.repeat(32)), false],
    ['recorded with another Cache-Control', rec('index.html', 'a'.repeat(32), { cacheControl: 'public, max-age=300, must-revalidate' }), true],
    ['recorded with another Content-Type', rec('index.html', 'a'.repeat(32), { contentType: 'text/plain' }), true],
    ['not recorded: headers unknown', undefined, true],
  ])('unchanged content %s: restamped %s', (_name, r, restamped) => {
    const c = compareSite(local, [obj('index.html', 'a'.repeat(32))], r ? written(r) : written());
    expect(c.unchanged).toHaveLength(1);
    expect(c.restamp.length === 1).toBe(restamped);
  });
});

describe('the planner with records', () => {
  const settings = (o: Partial<PlanSettings['pruning']> = {}, extra: Partial<PlanSettings> = {}): PlanSettings => ({
    env: testConfig({ env: {} }).environments.dev!,
    endpoint: 'http://127.0.0.1:4568',
    dryRun: false, prune: true, verifyOwnership: false, verifyProbe: false,
    invalidation: { maxPaths: 500, wait: true, waitSeconds: 30 },
    probe: { paths: 1, attempts: 1, credentialsEnv: 'X' },
    deployId: '20261201T220628000Z-a1b2c3', now: new Date('2026-12-01T22:06:28Z'), allowSecrets: [],
    pruning: { prefix: '', adopt: false, exclude: [], maxDeletes: '50%', allowDeletes: false, ...o },
    ...extra,
  });
  const site = [{ key: 'index.html', path: '/s/index.html', size: 10, md5: 'a'.repeat(32), etag: 'a'.repeat(32), multipart: false }];

  test('the next record lists every site object with its headers and the previous record; the last step writes it', () => {
    const p = planDeploy({ local: site, remote: [obj('index.html', 'old')], reading: { kind: 'unsupported' }, record: { kind: 'none' } }, settings()) as DeployPlan;
    const last = p.steps[p.steps.length - 1]!;
    expect(last.kind).toBe('record');
    if (last.kind !== 'record') return;
    expect(last.key).toBe('.edgelock/deploys/20261201T220628000Z-a1b2c3.json');
    expect(last.record).toMatchObject({ id: '20261201T220628000Z-a1b2c3', prefix: '', adopted: false, retained: [] });
    expect(last.record.previous).toBeUndefined();
    expect(last.record.objects).toEqual([{ key: 'index.html', md5: 'a'.repeat(32), etag: 'old', size: 10, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' }]);
  });

  test('with deploy.prefix the record lives in the prefix\'s own folder', () => {
    const p = planDeploy({ local: [{ ...site[0]!, key: 'site/index.html' }], remote: [], reading: { kind: 'unsupported' } }, settings({ prefix: 'site/' })) as DeployPlan;
    expect(p.record.next).toBe('.edgelock/deploys/site/20261201T220628000Z-a1b2c3.json');
  });

  test('with deploy.prefix, invalidation and probe paths are viewer paths (the origin path adds the prefix)', () => {
    const local = [{ ...site[0]!, key: 'site/docs/index.html' }];
    const p = planDeploy(
      { local, remote: [obj('site/docs/index.html', 'old')], reading: { kind: 'unsupported' } },
      settings({ prefix: 'site/' }, { endpoint: undefined as never, prettyUrls: true, verifyProbe: true, env: testConfig({ env: { distributionId: 'E2QWRUHAPOMQZL' } }).environments.dev! }),
    ) as DeployPlan;
    expect(p.invalidation.paths).toEqual(['/docs', '/docs/', '/docs/index.html']);
    const probe = p.steps.find((x) => x.kind === 'probe');
    expect(probe && probe.kind === 'probe' && probe.targets.map((t) => t.path)).toEqual(['/docs/index.html']);
  });

  test('too many deletes is refused before any step', () => {
    const many = Array.from({ length: 4 }, (_, i) => rec(`old${i}.html`, `e${i}`));
    const record = { kind: 'found' as const, key: '.edgelock/deploys/20261130T100000000Z-000000.json', record: {
      format: 'edgelock.deploy-record/1' as const, id: '20261130T100000000Z-000000', time: 't', environment: 'dev', bucket: 'b', prefix: '', adopted: false, objects: many, retained: [] } };
    const p = planDeploy({ local: site, remote: many.map((m) => obj(m.key, m.etag)), reading: { kind: 'unsupported' }, record }, settings());
    expect(p.kind).toBe('refused');
    expect(p.kind === 'refused' && p.refusal.code).toBe('DEPLOY_REFUSED_TOO_MANY_DELETES');
  });

  test('an untrusted record prunes nothing and says so', () => {
    const p = planDeploy({ local: site, remote: [obj('old.html', 'e')], reading: { kind: 'unsupported' }, record: { kind: 'invalid', key: '.edgelock/deploys/x.json', problem: 'not JSON' } }, settings()) as DeployPlan;
    expect(p.changes.delete).toEqual([]);
    expect(p.warnings.join('\n')).toMatch(/last deploy record is not trusted, so nothing is pruned.*not JSON/);
  });

  test('secret-looking files refuse the deploy, each named, unless deploy.allowSecrets names it', () => {
    const local = [...site, { ...site[0]!, key: 'certs/server.pem', secret: 'its name looks like a PEM file' }, { ...site[0]!, key: 'config.js', secret: 'it contains an AWS access key ID' }];
    const p = planDeploy({ local, remote: [], reading: { kind: 'unsupported' } }, settings());
    expect(p.kind).toBe('refused');
    if (p.kind !== 'refused') return;
    expect(p.refusal.code).toBe('DEPLOY_REFUSED_SECRETS');
    expect(p.refusal.message).toMatch(/2 file\(s\).*nothing was written:\n  certs\/server.pem: its name looks like a PEM file\n  config.js: it contains an AWS access key ID\n.*deploy.allowSecrets/s);
    const allowed = planDeploy({ local, remote: [], reading: { kind: 'unsupported' } }, settings({}, { allowSecrets: ['*.pem', '/config.js'] }));
    expect(allowed.kind).toBe('deploy');
  });
});
