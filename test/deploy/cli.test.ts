/**
 * `edgelock deploy` as users run it (the compiled CLI in a child process, which must not block
 * this one: s3rver answers from here) against s3rver; usage errors through the program in-process.
 */
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { runCliAsync, runInProcess } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver';
import { BUCKET, listKeys, makeSite, sampleSite, type Site } from './fixtures';

let server: S3rverHandle;
let site: Site;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startS3rver([BUCKET]);
  site = makeSite(sampleSite());
  dir = tempDir('edgelock-cli-');
  writeFileSync(
    path.join(dir, 'edgelock.config.json'),
    JSON.stringify({ project: 'acme-web', tools: { accountId: '111111111111' }, environments: { dev: { accountId: '222222222222', region: 'eu-west-1', auth: false, bucket: BUCKET } } }),
  );
  env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
});
afterAll(async () => {
  site.cleanup();
  await server.stop();
});

/** An endpoint that accepts connections and never answers (a stuck proxy, a blackholed service). */
async function silentEndpoint(): Promise<{ endpoint: string; connections(): number; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe('edgelock deploy', () => {
  test('--dry-run prints the plan and changes nothing', async () => {
    const r = await runCliAsync(['deploy', site.dir, '--env', 'dev', '--endpoint', server.endpoint, '--dry-run'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^dry run: deploying to acme-site-dev at http:\/\/127\.0\.0\.1:\d+ \(dev\) would\n  add \(6\):\n    about\/index\.html/);
    expect(r.stdout).toMatch(/nothing was changed\n$/);
    expect((await listKeys(server.client())).size).toBe(0);
  });

  test('--json prints a summary with counts, bytes, duration, invalidation and verification', async () => {
    const r = await runCliAsync(['deploy', site.dir, '--env', 'dev', '--endpoint', server.endpoint, '--json'], { cwd: dir, env });
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      ok: true,
      environment: 'dev',
      bucket: BUCKET,
      dryRun: false,
      counts: { add: 6, uploaded: 6, unchanged: 0, deleted: 0 },
      invalidation: { paths: [], skipped: 'nothing changed or deleted' },
      verification: { ownership: { skipped: 'the endpoint does not implement object ACLs' }, probe: { results: [] } },
    });
    expect(s.bytes.uploaded).toBeGreaterThan(100);
    expect(typeof s.durationMs).toBe('number');
  });

  test('a second run reports everything unchanged in text', async () => {
    const r = await runCliAsync(['deploy', site.dir, '--env', 'dev', '--endpoint', server.endpoint], { cwd: dir, env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/files: 0 added, 0 changed, 6 unchanged, 0 deleted, 0 kept, 0 skipped; 0 B uploaded/);
  });

  test('an unchanged site parses no page again (.edgelock/references.json) and, writing nothing, reads no ownership', async () => {
    const r = await runCliAsync(['deploy', site.dir, '--env', 'dev', '--endpoint', server.endpoint, '--json'], { cwd: dir, env });
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.counts).toMatchObject({ unchanged: 6, uploaded: 0 });
    expect(s.compared.documents).toEqual({ cached: expect.any(Number), parsed: 0 });
    expect(s.compared.documents.cached).toBeGreaterThan(0);
    expect(s.ownership).toEqual({ reading: 'not read (nothing to write)', acl: 'not read: this deploy writes nothing' });
    expect(existsSync(path.join(dir, '.edgelock', 'references.json'))).toBe(true);
  });

  test('edgelock deploys lists the deploy records, newest first, in text and JSON', async () => {
    const text = await runCliAsync(['deploys', '--env', 'dev', '--endpoint', server.endpoint], { cwd: dir, env });
    expect(text.status).toBe(0);
    // The first deploy wrote a record; the unchanged second one did not.
    expect(text.stdout).toMatch(/^deploys of dev \(s3:\/\/acme-site-dev\/\.edgelock\/deploys\/\), newest first:\n  \d{8}T\d{9}Z-[0-9a-f]{6}  \d{4}-\d\d-\d\dT[\d:.]+Z  6 object\(s\), \d+ B\n$/);
    const json = await runCliAsync(['deploys', '--env', 'dev', '--endpoint', server.endpoint, '--json'], { cwd: dir, env });
    const h = JSON.parse(json.stdout) as { deploys: { id: string; objects: number }[] };
    expect(h).toMatchObject({ environment: 'dev', bucket: BUCKET, prefix: '' });
    expect(h.deploys).toHaveLength(1);
    expect(h.deploys[0]!.objects).toBe(6);
  });

  test.each([
    [['--concurrency', '0'], /--concurrency must be a whole number from 1 to 256 \(got "0"\)/],
    [['--endpoint', 'localhost:4568'], /--endpoint must be a base URL/],
    [['--probe-credentials', 'nocolon'], /--probe-credentials must be "user:password"/],
    [['--role-arn', 'arn:aws:iam::999999999999:role/x'], /is in account 999999999999, but environment "dev" lives in 222222222222/],
    [['--concurrency'], /error: option '--concurrency <n>' argument missing/],
    [['--no-such-flag'], /error: unknown option '--no-such-flag'/],
  ])('bad option %j is a usage error', async (extra, message) => {
    const r = await runInProcess(['deploy', site.dir, '--config', path.join(dir, 'edgelock.config.json'), '--env', 'dev', ...extra]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    ['a missing site folder', () => path.join(dir, 'no-such-site'), /no site folder at .*no-such-site/],
    ['a file for a site folder', () => path.join(dir, 'edgelock.config.json'), /edgelock\.config\.json is not a folder/],
  ])('%s is bad input: exit 2, found before any AWS request', async (_name, target, message) => {
    // Nothing listens on port 9: the folder is judged before the endpoint is tried.
    const r = await runInProcess(['deploy', target(), '--config', path.join(dir, 'edgelock.config.json'), '--env', 'dev', '--endpoint', 'http://127.0.0.1:9']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('a folder refused while the bucket is being read ends the command: the reads stop, even against a bucket that never answers', async () => {
    // The records are read while the folder is; a link out of the folder refuses the deploy, and
    // the read in flight (to an endpoint that accepts and never answers) must not keep the CLI alive.
    const silent = await silentEndpoint();
    const bad = makeSite({ 'index.html': '<p>hi</p>' });
    symlinkSync('/etc/hostname', path.join(bad.dir, 'host'));
    try {
      const r = await runCliAsync(['deploy', bad.dir, '--env', 'dev', '--endpoint', silent.endpoint], { cwd: dir, env });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/refusing to deploy: the symbolic link .*host points to \/etc\/hostname, outside the site folder/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      silent.close();
      bad.cleanup();
    }
  });

  test('an endpoint that accepts and never answers fails the deploy after deploy.requestTimeoutSeconds: exit 2, AWS_UNREACHABLE', async () => {
    const silent = await silentEndpoint();
    const project = tempDir('edgelock-cli-timeout-');
    writeFileSync(
      path.join(project, 'edgelock.config.json'),
      JSON.stringify({ project: 'acme-web', tools: { accountId: '111111111111' }, deploy: { requestTimeoutSeconds: 1, maxAttempts: 1 }, environments: { dev: { accountId: '222222222222', region: 'eu-west-1', auth: false, bucket: BUCKET } } }),
    );
    try {
      const r = await runCliAsync(['deploy', site.dir, '--env', 'dev', '--endpoint', silent.endpoint], { cwd: project, env });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/in bucket acme-site-dev got no answer from AWS \(.*\): check the network, proxy and any AWS_ENDPOINT_URL or --endpoint/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(silent.connections()).toBeGreaterThan(0);
    } finally {
      silent.close();
    }
  });

  test('AWS unreachable is exit 2, AWS_UNREACHABLE\'s message naming the endpoint to check, no stack trace', async () => {
    const r = await runCliAsync(['deploy', site.dir, '--env', 'dev', '--endpoint', 'http://127.0.0.1:9'], { cwd: dir, env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/got no answer from AWS \(.*ECONNREFUSED.*\): check the network, proxy and any AWS_ENDPOINT_URL or --endpoint/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('no credentials at all is exit 2 too, naming how to give them', async () => {
    const r = await runInProcess(['deploy', site.dir, '--config', path.join(dir, 'edgelock.config.json'), '--env', 'dev', '--endpoint', 'http://127.0.0.1:9']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/got no answer from AWS \(Could not load credentials from any providers\): give valid credentials/);
  });

  test('the binary: an unknown environment is a usage error that names the ones that exist', async () => {
    const r = await runCliAsync(['deploy', site.dir, '--env', 'prod', '--endpoint', server.endpoint], { cwd: dir, env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no environment "prod"; this config has "dev"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a page that references a missing file refuses the deploy: exit 1, each file and line on stderr, nothing written', async () => {
    const broken = makeSite({ 'index.html': '<!doctype html>\n<img src="/img/missing.png">', 'about/index.html': '<link rel="icon" href="../favicon.ico">' });
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
    try {
      const before = await listKeys(server.client(), BUCKET, true);
      const r = await runInProcess(['deploy', broken.dir, '--config', path.join(dir, 'edgelock.config.json'), '--env', 'dev', '--endpoint', server.endpoint]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('refusing to deploy: 2 reference(s) in 2 file(s) lead to files the site does not have, and nothing was written');
      expect(r.stderr).toContain('  about/index.html:1 <link href> "../favicon.ico": favicon.ico is not in the site');
      expect(r.stderr).toContain('  index.html:2 <img src> "/img/missing.png": img/missing.png is not in the site');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(await listKeys(server.client(), BUCKET, true)).toEqual(before);
    } finally {
      for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      broken.cleanup();
    }
  });

  test('a missing site folder argument is a usage error', async () => {
    const r = await runInProcess(['deploy', '--config', path.join(dir, 'edgelock.config.json'), '--env', 'dev']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error: missing required argument 'dir'/);
  });
});
