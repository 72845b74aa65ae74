/** What is published from the site folder: dotfiles, patterns, precompressed copies, secrets. */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { digestCacheFile } from '../../src/origin/deploy/digest-cache';
import { scanSite, type ScannedSite, type ScanOptions } from '../../src/origin/deploy/local-files';
import { patternMatcher } from '../../src/origin/deploy/patterns';
import { secretReason } from '../../src/origin/deploy/secrets';
import { selectSiteFiles } from '../../src/origin/deploy/site-filter';
import { tempDir } from '../helpers/temp';
import { makeSite, type Site } from './fixtures';

describe('gitignore-style patterns', () => {
  test.each<[string[], string, boolean]>([
    [['*.map'], 'assets/app.js.map', true],
    [['*.map'], 'app.js.map', true],
    [['*.map'], 'assets/app.js', false],
    [['drafts'], 'blog/drafts/post.html', true],
    [['drafts/'], 'drafts/post.html', true],
    [['/drafts/'], 'blog/drafts/post.html', false],
    [['docs/internal'], 'docs/internal/a.html', true],
    [['docs/internal'], 'x/docs/internal/a.html', false],
    [['/admin/*.html'], 'admin/index.html', true],
    [['/admin/*.html'], 'admin/sub/index.html', false],
    [['admin/**'], 'admin/sub/index.html', true],
    [['*.map', '!vendor.js.map'], 'vendor.js.map', false],
    [['*.map', '!vendor.js.map'], 'app.js.map', true],
    [['!keep.txt', '*.txt'], 'keep.txt', true],
    [['# comment', ''], 'a.txt', false],
    [['.nojekyll'], '.nojekyll', true],
    [['.well-known/*'], '.well-known/x', true],
  ])('%j matches %s: %s', (patterns, key, expected) => expect(patternMatcher(patterns)(key)).toBe(expected));
});

describe('selectSiteFiles', () => {
  const KEYS = [
    'index.html', '.env', '.env.production', '.DS_Store', 'assets/.DS_Store', '.git/config', '.git/objects/ab/cdef', 'blog/.hidden/x.html',
    '.well-known/security.txt', '.well-known/acme-challenge/token', 'sub/.well-known/x', '.nojekyll', 'assets/app.js', 'assets/app.js.gz', 'assets/app.js.br',
    'downloads/data.tar.gz', 'drafts/a.html', '.edgelock/deploys/x.json',
  ];

  test('dotfiles and dot-folders are skipped and listed, except /.well-known/; precompressed copies and .edgelock/ too', () => {
    const s = selectSiteFiles(KEYS, { include: [], exclude: [] });
    expect(s.publish).toEqual(['index.html', '.well-known/security.txt', '.well-known/acme-challenge/token', 'assets/app.js', 'downloads/data.tar.gz', 'drafts/a.html']);
    const reason = Object.fromEntries(s.skipped.map((x) => [x.key, x.reason]));
    for (const k of ['.env', '.env.production', '.DS_Store', 'assets/.DS_Store', '.git/config', '.git/objects/ab/cdef', 'blog/.hidden/x.html', 'sub/.well-known/x', '.nojekyll']) {
      expect(reason[k]).toMatch(/dotfile or dot-folder \(add a deploy.include pattern/);
    }
    expect(reason['assets/app.js.gz']).toMatch(/precompressed copy of assets\/app.js/);
    expect(reason['assets/app.js.br']).toMatch(/precompressed copy/);
    expect(reason['.edgelock/deploys/x.json']).toMatch(/reserved/);
    expect(s.publish.length + s.skipped.length).toBe(KEYS.length);
  });

  test('deploy.include publishes a dotfile on purpose; deploy.exclude skips anything; .edgelock/ stays reserved', () => {
    const s = selectSiteFiles(KEYS, { include: ['/.nojekyll', '.edgelock/'], exclude: ['drafts/', '*.tar.gz'] });
    expect(s.publish).toContain('.nojekyll');
    expect(s.publish).not.toContain('.env');
    expect(s.publish).not.toContain('.edgelock/deploys/x.json');
    expect(s.skipped.filter((x) => x.reason === 'matches deploy.exclude').map((x) => x.key)).toEqual(['downloads/data.tar.gz', 'drafts/a.html']);
  });
});

describe('secret-looking files', () => {
  test.each([
    'server.pem', 'certs/site.key', 'id_rsa', 'id_rsa.pub', 'keys/id_ed25519', '.npmrc', '.pypirc', '.netrc', '.git-credentials', 'credentials', 'credentials.json',
    '.aws/credentials', 'backup/.env.local', 'store.p12', 'app.pfx', 'infra/terraform.tfstate', 'putty.ppk', '.htpasswd',
  ])('by name: %s', (key) => expect(secretReason(key)).toMatch(/^(its name looks like|it is an AWS CLI credentials file)/));

  test.each<[string, string]>([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow...', 'private key block'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...', 'private key block'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEv...', 'private key block'],
    ['-----BEGIN EC PRIVATE KEY-----', 'private key block'],
    ['const cfg = { accessKeyId: "AKIAZ7QWERTYUIOP1234" }', 'AWS access key ID'],
    ['ASIAXYZ2ABCDEFGH3456 is a session key', 'AWS access key ID'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz', 'AWS secret access key'],
  ])('by content: %s', (text, what) => expect(secretReason('assets/app.js', Buffer.from(text))).toContain(what));

  test.each([
    ['index.html', '<p>Our public key fingerprint is below.</p>'],
    ['docs/aws.html', 'Use AKIAIOSFODNN7EXAMPLE as in the AWS documentation.'],
    ['keys.html', '-----BEGIN PUBLIC KEY-----'],
    ['cert.crt', '-----BEGIN CERTIFICATE-----'],
    ['keyboard.js', 'const AKIA = 1;'],
    ['monkey.png', ''],
  ])('not a secret: %s', (key, text) => expect(secretReason(key, Buffer.from(text))).toBeUndefined());
});

describe('the digest cache', () => {
  const files = { 'index.html': '<!doctype html>home', 'assets/app.5e6f7a8b.js': 'console.log(1)', 'keys.txt': 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzEXAMPLEKEY' };
  let project: string;
  let site: Site;
  beforeEach(async () => {
    project = tempDir('edgelock-project-');
    site = makeSite(files);
    await sleep(20); // file times strictly before the scan
  });
  afterEach(() => site.cleanup());
  // Files changed less than racySeconds before a scan are not cached: 0 here, so the fixture's fresh files are.
  const scan = (dir = site.dir, over: Partial<ScanOptions> = {}) => scanSite(dir, undefined, '', { cacheDir: project, racySeconds: 0, ...over });
  const digests = (s: ScannedSite) => s.files.map((f) => [f.key, f.md5, f.etag, f.secret ?? '']);
  const cacheFile = async () => digestCacheFile(project, await realpath(site.dir));

  test('a second scan reads no unchanged file: the same digests and secret verdicts come from the cache', async () => {
    const first = await scan();
    expect(first.digests).toMatchObject({ cached: 0, hashed: 3 });
    expect(first.files.find((f) => f.key === 'keys.txt')!.secret).toBe('it contains an AWS secret access key assignment');
    const second = await scan();
    expect(second.digests).toEqual({ cached: 3, hashed: 0, cacheFile: await cacheFile() });
    expect(digests(second)).toEqual(digests(first));
    expect(digests(await scanSite(site.dir))).toEqual(digests(first)); // what hashing every byte gives
    expect(statSync(await cacheFile()).mode & 0o777).toBe(0o600);
  });

  test('a changed file is hashed again, even with its size and modification time put back', async () => {
    const before = await scan();
    const js = path.join(site.dir, 'assets/app.5e6f7a8b.js');
    const { atime, mtime } = statSync(js);
    site.write('assets/app.5e6f7a8b.js', 'console.log(2)'); // same size
    utimesSync(js, atime, mtime); // the change time still moves
    await sleep(20);
    const after = await scan();
    expect(after.digests).toMatchObject({ cached: 2, hashed: 1 });
    expect(after.files.find((f) => f.key === 'assets/app.5e6f7a8b.js')!.md5).toBe(createHash('md5').update('console.log(2)').digest('hex'));
    expect(after.files.find((f) => f.key === 'index.html')!.md5).toBe(before.files.find((f) => f.key === 'index.html')!.md5);
  });

  test('a file changed just before the scan is not cached: the next scan hashes it again', async () => {
    await scan(site.dir, { racySeconds: 60 });
    expect((await scan()).digests).toMatchObject({ cached: 0, hashed: 3 });
  });

  test.each<[string, (file: string, other: string) => void, RegExp]>([
    ['not JSON', (file) => writeFileSync(file, '{"format":', { mode: 0o600 }), /ignored \(it is not JSON\)/],
    ['in another format', (file) => writeFileSync(file, JSON.stringify({ format: 'something/1', entries: {} }), { mode: 0o600 }), /not a edgelock\.digest-cache\/1 file/],
    ['for another folder', (file, other) => copyFileSync(other, file), /written for the folder/],
    ['under other secret rules', (file) => writeFileSync(file, readFileSync(file, 'utf8').replace(/"secretRules":"[0-9a-f]+"/, '"secretRules":"0000000000000000"'), { mode: 0o600 }), /other secret-detection rules/],
    ['with a malformed entry', (file) => writeFileSync(file, readFileSync(file, 'utf8').replace(/"index\.html":\[[^\]]*\]/, '"index.html":[1,"x"]'), { mode: 0o600 }), /entry for "index\.html" is malformed/],
    ['writable by others', (file) => chmodSync(file, 0o666), /another user owns it or may write it/],
  ])('a cache %s is ignored with a note, every file is hashed, and a good cache is written', async (_name, spoil, note) => {
    const other = makeSite(files);
    try {
      await scan();
      await scan(other.dir);
      spoil(await cacheFile(), digestCacheFile(project, await realpath(other.dir)));
      const s = await scan();
      expect(s.digests).toMatchObject({ cached: 0, hashed: 3, note: expect.stringMatching(note) });
      expect(digests(s)).toEqual(digests(await scanSite(site.dir)));
      expect((await scan()).digests).toMatchObject({ cached: 3, hashed: 0 });
    } finally {
      other.cleanup();
    }
  });

  test('an entry the cache holds for a file that left the site is dropped', async () => {
    await scan();
    site.remove('keys.txt');
    await scan();
    expect(Object.keys((JSON.parse(readFileSync(await cacheFile(), 'utf8')) as { entries: object }).entries)).toEqual(['assets/app.5e6f7a8b.js', 'index.html']);
  });
});
