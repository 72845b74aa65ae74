/**
 * `edgelock init [dir]`: the starter project is complete (exactly the listed files), holds only a
 * bcrypt hash of the typed password, and its config loads, builds, serves and synthesizes. An
 * existing file stops it before anything is written.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { Testing } from 'cdktf';
import { buildEdge } from '../../src/build';
import { parseHtpasswdText } from '../../src/config/htpasswd';
import { loadConfig } from '../../src/config/load';
import { startLocalEdge } from '../../src/dev';
import { BuildArtifacts } from '../../cdktf/artifacts';
import { createStacks } from '../../cdktf/app';
import { runCli } from '../helpers/cli';

const PASSWORD = 'correct horse battery staple';
const FILES = [
  '.gitignore',
  'cdktf.json',
  'edgelock.config.ts',
  'main.js',
  'package.json',
  'site/404.html',
  'site/index.html',
  'test/site.test.js',
  'users.htpasswd',
];

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? listFiles(path.join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]))
    .sort();
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'edgelock-init-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('edgelock init', () => {
  let dir: string;
  let stdout: string;
  beforeAll(() => {
    dir = path.join(tmp, 'acme-site');
    const r = runCli(['init', dir, '--user', 'alice'], { input: `${PASSWORD}\n` });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    stdout = r.stdout;
  });

  it('writes exactly the listed files, and says so', () => {
    expect(listFiles(dir)).toEqual([...FILES].sort());
    for (const f of FILES) expect(stdout).toContain(`  ${f}\n`);
  });

  it('stores the password only as a bcrypt hash of cost 10 for the given user', () => {
    const { users, problems } = parseHtpasswdText(readFileSync(path.join(dir, 'users.htpasswd'), 'utf8'));
    expect(problems).toEqual([]);
    expect(users.map((u) => u.user)).toEqual(['alice']);
    expect(users[0]!.hash).toMatch(/^\$2b\$10\$/);
    expect(bcrypt.compareSync(PASSWORD, users[0]!.hash)).toBe(true);
    expect(bcrypt.compareSync(`${PASSWORD}x`, users[0]!.hash)).toBe(false);
    for (const f of FILES) expect(readFileSync(path.join(dir, f), 'utf8')).not.toContain(PASSWORD);
    expect(stdout).not.toContain(PASSWORD);
  });

  it('writes a package.json with the scripts and the dev dependencies the project runs with', () => {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('acme-site');
    expect(pkg.scripts).toEqual({ build: 'edgelock build', start: 'edgelock dev --site site', dev: 'edgelock dev --site site', test: 'edgelock build && jest', synth: 'cdktf synth' });
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['edgelock', 'jest', 'cdktf', 'cdktf-cli', 'constructs', '@cdktf/provider-aws']));
    expect(JSON.parse(readFileSync(path.join(dir, 'cdktf.json'), 'utf8')).app).toBe('node main.js');
    expect(readFileSync(path.join(dir, 'main.js'), 'utf8')).toContain("createStacks(app, loadConfig(), { dist: 'dist' })");
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['dist/', 'cdktf.out/', '.edgelock/']));
    // The scaffold's test is plain CommonJS that node can parse.
    expect(() => execFileSync(process.execPath, ['--check', path.join(dir, 'test', 'site.test.js')])).not.toThrow();
    expect(readFileSync(path.join(dir, 'test', 'site.test.js'), 'utf8')).toContain("require('edgelock/testing')");
  });

  it('writes a config that loads, builds, serves the site behind auth and synthesizes', async () => {
    const config = loadConfig(path.join(dir, 'edgelock.config.ts'));
    expect(config.project).toBe('acme-site');
    expect(Object.keys(config.environments)).toEqual(['dev']);
    expect(config.tools.accountId).toBe('111111111111');
    expect(config.auth!.users.map((u) => u.user)).toEqual(['alice']);
    expect(readFileSync(path.join(dir, 'edgelock.config.ts'), 'utf8')).toMatch(/placeholders: replace them with your own AWS accounts/);

    const out = path.join(dir, 'dist');
    const result = await buildEdge(config, { outDir: out });
    expect(Object.keys(result.manifest.environments.dev!).sort()).toEqual(['origin-request', 'origin-response', 'viewer-request']);

    const running = await startLocalEdge({ config, env: 'dev', distDir: out, port: 0, originDir: path.join(dir, 'site') });
    try {
      expect((await fetch(`${running.url}/`)).status).toBe(401);
      const ok = await fetch(`${running.url}/`, { headers: { authorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('<h1>acme-site</h1>');
    } finally {
      await running.close();
    }

    const app = Testing.app();
    const stacks = createStacks(app, config, BuildArtifacts.load(out, config));
    expect(Object.keys(stacks.environments)).toEqual(['dev']);
    expect(Testing.synth(stacks.environments.dev!, true)).toContain('aws_cloudfront_distribution');
    expect(Testing.synth(stacks.tools, true)).toContain('aws_codepipeline');
  }, 120_000);
});

describe('edgelock init refuses', () => {
  it('a folder where one of its files exists: lists it, writes nothing, exits 2 before asking for a password', () => {
    const dir = path.join(tmp, 'has-files');
    mkdirSync(path.join(dir, 'site'), { recursive: true });
    writeFileSync(path.join(dir, 'site', 'index.html'), 'mine');
    writeFileSync(path.join(dir, 'package.json'), '{}');
    const r = runCli(['init', dir], { input: `${PASSWORD}\n` });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/init writes nothing into a folder where its files exist; already in .*has-files: package\.json, site\/index\.html\. Move them away/);
    expect(listFiles(dir)).toEqual(['package.json', 'site/index.html']);
    expect(readFileSync(path.join(dir, 'site', 'index.html'), 'utf8')).toBe('mine');
  });

  it.each([
    [['--user', 'a:b'], `${PASSWORD}\n`, /--user: user name "a:b" contains ":"/],
    [['--project', 'Bad_Name'], `${PASSWORD}\n`, /--project "Bad_Name" is not a project name.*--project acme-web/],
    [[], '\n', /empty password/],
  ])('bad input %j with exit 2, writing nothing', (args, input, message) => {
    const dir = mkdtempSync(path.join(tmp, 'bad-'));
    const r = runCli(['init', path.join(dir, 'new-site'), ...args], { input });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(dir)).toEqual([]);
  });
});
