/**
 * Fault injection: a proxy in front of s3rver fails a share of requests with 500 InternalError,
 * 503 SlowDown or a dropped connection. The deploy completes through retries or fails clearly;
 * the bucket never holds HTML that references a missing asset; a rerun converges.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeployError, deploySite } from '../../src/origin/deploy';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver';
import { BUCKET, listKeys, makeSite, rejection, testConfig, type Site } from './fixtures';

let server: S3rverHandle;
let proxy: FaultProxy;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3rver([BUCKET]);
  proxy = await startFaultProxy(server.endpoint, { rate: 0, seed: 7 });
  s3 = server.client();
});
afterAll(async () => {
  await proxy.stop();
  await server.stop();
});

/** A site of `pages` pages, each referencing its own hashed script and a shared stylesheet, all named by version. */
function versionedSite(version: string, pages: number): Record<string, string> {
  const files: Record<string, string> = { [`assets/site.${version}0000aa.css`]: `body{--v:"${version}"}` };
  for (let i = 0; i < pages; i++) {
    files[`assets/page${i}.${version}1111bb.js`] = `console.log(${JSON.stringify(`${version}-${i}`)})`;
    files[i === 0 ? 'index.html' : `p${i}/index.html`] = `<!doctype html><link rel="stylesheet" href="/assets/site.${version}0000aa.css"><script src="/assets/page${i}.${version}1111bb.js"></script>`;
  }
  return files;
}

/** Every HTML page in the bucket references only objects that exist. */
async function assertNoDanglingReferences(): Promise<void> {
  const keys = await listKeys(s3);
  for (const key of keys.keys()) {
    if (!key.endsWith('.html')) continue;
    const html = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
    for (const m of html.matchAll(/(?:src|href)="\/([^"]+)"/g)) {
      expect({ page: key, ref: m[1], exists: keys.has(m[1]!) }).toEqual({ page: key, ref: m[1], exists: true });
    }
  }
}

function deployWith(site: Site, maxAttempts: number) {
  return deploySite({
    config: testConfig({ deploy: { maxAttempts, concurrency: 8 } }),
    env: 'dev',
    dir: site.dir,
    endpoint: proxy.endpoint,
    credentials: server.credentials,
  });
}

describe('deploy under injected faults', () => {
  test('a quarter of requests failing (500, 503 SlowDown, dropped connections): the deploy completes through retries', async () => {
    const site = makeSite(versionedSite('v1', 20));
    proxy.setRate(0.25);
    try {
      const summary = await deployWith(site, 10);
      expect(summary.counts).toMatchObject({ add: 41, uploaded: 41 });
      expect(proxy.counts['500']).toBeGreaterThan(0);
      expect(proxy.counts['503']).toBeGreaterThan(0);
      expect(proxy.counts.drop).toBeGreaterThan(0);
    } finally {
      proxy.setRate(0);
      site.cleanup();
    }
    expect((await listKeys(s3)).size).toBe(41);
    await assertNoDanglingReferences();
  });

  test('an asset that keeps failing stops the deploy before any HTML goes up; a rerun converges', async () => {
    const site = makeSite(versionedSite('v2', 20));
    proxy.failAlways(/page7\.v21111bb\.js/);
    try {
      const err = await rejection(deployWith(site, 2));
      expect(err).toBeInstanceOf(DeployError);
      expect(err.message).toMatch(/uploading assets\/page7\.v21111bb\.js in bucket acme-site-dev failed: .*SlowDown.*no HTML was uploaded, so the live pages still reference the previous files/s);
      // S3 kept answering SlowDown: an AWS error, wrapped with the bucket and the operation.
      expect(err.code).toBe('AWS_ERROR');
      const keys = await listKeys(s3);
      const home = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'index.html' }))).Body!.transformToString();
      expect(home).toContain('site.v10000aa.css');
      expect(keys.has('assets/page7.v21111bb.js')).toBe(false);
      await assertNoDanglingReferences();

      proxy.failAlways(undefined);
      proxy.setRate(0.1);
      const rerun = await deployWith(site, 10);
      expect(rerun.ok).toBe(true);
      expect(rerun.counts.deleted).toBe(21); // the v1 assets, pruned once the v2 HTML is up
    } finally {
      proxy.failAlways(undefined);
      proxy.setRate(0);
    }
    const keys = await listKeys(s3);
    expect([...keys.keys()].sort()).toEqual(Object.keys(versionedSite('v2', 20)).sort());
    await assertNoDanglingReferences();
    const again = await deployWith(site, 3);
    expect(again.counts).toMatchObject({ uploaded: 0, deleted: 0, unchanged: 41 });
    site.cleanup();
  });
});
