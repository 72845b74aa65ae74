/**
 * edgelock as users get it: the packed tarball installed into a fresh project (offline, from
 * npm's cache). Without the cdktf peers the CLI builds and `edgelock/cdktf` says what to install;
 * with them, CommonJS, ESM and TypeScript (node16 resolution with skipLibCheck false, and bundler)
 * import every entry, and a plain `node main.js` app synthesizes the stacks. One project, shared.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENTRIES, MB, PEERS, ROOT, installOffline, newProject, ok, pack, placeFromRepository, run, runAsync, sizeOf } from './project';

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

let tmp: string;
let project: string;
let installed: string;
let tarball: string;
let sizeWithoutPeers: number;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'edgelock-package-'));
  tarball = pack(tmp);
  project = newProject(path.join(tmp, 'project'));
  installOffline(project, { edgelock: `file:${tarball}` }, tarball);
  installed = path.join(project, 'node_modules', 'edgelock');
  sizeWithoutPeers = sizeOf(path.join(project, 'node_modules'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tarFiles = (): string[] =>
  ok('tar', ['-tzf', tarball], tmp)
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));

describe('the tarball', () => {
  it('holds the compiled library with its types, the docs, the examples, README and LICENSE; no tests', () => {
    const files = tarFiles();
    for (const f of ['lib/src/index.js', 'lib/src/index.d.ts', 'lib/cdktf/index.js', 'lib/cdktf/index.d.ts', 'lib/cdktf/locked-bucket.d.ts', 'lib/src/cli/main.js',
      'bin/edgelock.js', 'README.md', 'LICENSE', 'package.json', 'docs/cdktf.md', 'examples/edgelock.config.ts', 'examples/cdktf/main.js', 'src/edge/headers.ts']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(test|bench|cdktf)\//.test(f) || f === '.npmrc')).toEqual([]);
    expect(readFileSync(path.join(installed, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });

  it('names its repository and homepage', () => {
    const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/edgelock/edgelock.git' });
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/edgelock\/edgelock/);
    expect((pkg.keywords as string[]).length).toBeGreaterThan(3);
  });

  it('every relative link of the README resolves inside the installed package', () => {
    const readme = readFileSync(path.join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^([a-z]+:|#)/.test(l));
    expect(links.length).toBeGreaterThan(5);
    const missing = links.filter((l) => !existsSync(path.join(installed, l.split('#')[0]!)));
    expect(missing).toEqual([]);
  });
});

describe('without the cdktf peers', () => {
  it('installs light: no cdktf, no provider', () => {
    const top = readdirSync(path.join(project, 'node_modules'));
    expect(top).not.toContain('cdktf');
    expect(top).not.toContain('constructs');
    expect(existsSync(path.join(project, 'node_modules', '@cdktf'))).toBe(false);
    expect(sizeWithoutPeers).toBeLessThan(100 * MB);
  });

  it('the CLI builds the example config', () => {
    cpSync(path.join(installed, 'examples'), path.join(project, 'examples'), { recursive: true });
    ok(path.join(project, 'node_modules', '.bin', 'edgelock'), ['build', '--config', 'examples/edgelock.config.ts', '--out', 'dist'], project);
    expect(JSON.parse(readFileSync(path.join(project, 'dist', 'manifest.json'), 'utf8'))).toMatchObject({ project: 'acme-web' });
  });

  it('edgelock/cdktf fails with STACKS_PEERS_MISSING and the install command', () => {
    const r = run(process.execPath, ['-e', "try { require('edgelock/cdktf') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }"], project);
    const { code, message } = JSON.parse(r.stdout) as { code: string; message: string };
    expect(code).toBe('STACKS_PEERS_MISSING');
    expect(message).toContain(`npm install --save-dev ${PEERS.join(' ')}`);
  });
});

describe('with the peers', () => {
  let sizeWithPeers: number;
  beforeAll(() => {
    // The peers at the exact versions package.json pins, as npm would install them (see placeFromRepository).
    const placed = ['cdktf', 'constructs', '@cdktf/provider-aws', '@types/node', 'undici-types'];
    placeFromRepository(project, placed);
    for (const peer of PEERS) {
      const name = peer.slice(0, peer.lastIndexOf('@'));
      expect(JSON.parse(readFileSync(path.join(project, 'node_modules', name, 'package.json'), 'utf8')).version).toBe(peer.slice(peer.lastIndexOf('@') + 1));
    }
    sizeWithPeers = sizeOf(path.join(project, 'node_modules'));
    process.stdout.write(`installed edgelock: ${(sizeWithoutPeers / MB).toFixed(0)} MB without the cdktf peers, ${(sizeWithPeers / MB).toFixed(0)} MB with them\n`);
  }, 120_000);

  it('CommonJS requires every entry', () => {
    const script = `const out = {}; for (const e of ${JSON.stringify(ENTRIES)}) out[e] = Object.keys(require(e)).length; console.log(JSON.stringify(out));`;
    const counts = JSON.parse(ok(process.execPath, ['-e', script], project)) as Record<string, number>;
    for (const e of ENTRIES) expect(counts[e]).toBeGreaterThan(3);
  });

  it('ESM imports every entry, with named exports', () => {
    const file = path.join(project, 'esm.mjs');
    writeFileSync(file, [
      ...ENTRIES.map((e, i) => `import * as m${i} from '${e}';`),
      "import { loadConfig, defineConfig } from 'edgelock';",
      "import { createStacks, LockedBucket, EdgeFunctions, ProtectedDistribution, DeployAccess, Pipeline, LogAnalytics } from 'edgelock/cdktf';",
      'const fns = [loadConfig, defineConfig, createStacks, LockedBucket, EdgeFunctions, ProtectedDistribution, DeployAccess, Pipeline, LogAnalytics];',
      `console.log(JSON.stringify({ named: fns.map((f) => typeof f), entries: [${ENTRIES.map((_, i) => `Object.keys(m${i}).length`).join(', ')}] }));`,
    ].join('\n'));
    const out = JSON.parse(ok(process.execPath, [file], project)) as { named: string[]; entries: number[] };
    expect(out.named.every((t) => t === 'function')).toBe(true);
    expect(out.entries.every((n) => n > 3)).toBe(true);
  });

  const typeCheck = (resolution: 'node16' | 'bundler'): Promise<{ status: number | null; stdout: string; stderr: string }> => {
    const dir = path.join(project, `ts-${resolution}`);
    cpSync(path.join(__dirname, 'fixtures', 'app.ts'), path.join(dir, 'app.ts'));
    writeFileSync(path.join(dir, 'entries.ts'), ENTRIES.map((e, i) => `import * as m${i} from '${e}';\nexport const e${i} = m${i};`).join('\n') + '\n');
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        // The declarations themselves (edgelock's and those they pull in) are checked once, under
        // node16; the bundler pass checks how every entry resolves and types the app.
        strict: true, noEmit: true, skipLibCheck: resolution === 'bundler', target: 'ES2022', types: ['node'],
        ...(resolution === 'node16' ? { module: 'node16', moduleResolution: 'node16' } : { module: 'preserve', moduleResolution: 'bundler' }),
      },
      files: ['app.ts', 'entries.ts'],
    }));
    return runAsync(process.execPath, [TSC, '-p', dir], project);
  };
  // Both checks start together (each is one tsc process); each test awaits its own.
  let checks: Record<'node16' | 'bundler', ReturnType<typeof typeCheck>>;
  beforeAll(() => {
    checks = { node16: typeCheck('node16'), bundler: typeCheck('bundler') };
  });
  // No tsc outlives the test file (and its temporary folder).
  afterAll(() => Promise.all(Object.values(checks)), 120_000);

  it.each([['node16', 'false'], ['bundler', 'true']] as const)('TypeScript (moduleResolution %s, skipLibCheck %s) type-checks a user app', async (resolution, _skipLibCheck) => {
    const r = await checks[resolution];
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('a jest test written with edgelock/testing passes on a recorded event and the built example', () => {
    writeFileSync(path.join(project, 'recorded.test.js'), [
      "const { loadHandler, recorded, runChain } = require('edgelock/testing');",
      "const demo = 'Basic ' + Buffer.from('demo:edgelock-demo').toString('base64');",
      "test('a recorded viewer request without credentials gets the 401', async () => {",
      "  const viewerRequest = await loadHandler('dist', 'dev', 'viewer-request');",
      "  const result = await viewerRequest(recorded.viewerRequest());",
      "  expect(result.status).toBe('401');",
      '});',
      "test('the demo user reaches S3, without its credentials', async () => {",
      "  const r = await runChain('dist', 'dev', { uri: '/', headers: { Authorization: demo } });",
      '  expect(r.status).toBe(200);',
      "  expect(r.s3Request.headers.authorization).toBeUndefined();",
      '});',
    ].join('\n'));
    const r = run(process.execPath, [JEST, '--ci', '--rootDir', project, '--config', JSON.stringify({ testEnvironment: 'node', transform: {} }), 'recorded.test.js'], project);
    expect(r.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(r.status).toBe(0);
  }, 60_000);

  it('edgelock init writes a project whose own build and test scripts pass', () => {
    const scaffold = path.join(project, 'starter');
    const init = run(path.join(project, 'node_modules', '.bin', 'edgelock'), ['init', 'starter', '--user', 'admin'], project, {}, 'a starter password\n');
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(readFileSync(path.join(scaffold, 'users.htpasswd'), 'utf8')).toMatch(/^admin:\$2[aby]\$10\$/m);
    // The scaffold's own scripts, with its tools found as npm finds them: edgelock in the
    // enclosing project's node_modules/.bin, jest from this repository.
    const test = run('npm', ['test', '--silent'], scaffold, { PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` });
    expect(test.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(test.status).toBe(0);
    expect(existsSync(path.join(scaffold, 'dist', 'manifest.json'))).toBe(true);
  }, 90_000);

  it('a plain `node main.js` app synthesizes the stacks', () => {
    cpSync(path.join(installed, 'examples', 'cdktf', 'main.js'), path.join(project, 'main.js'));
    cpSync(path.join(installed, 'examples', 'edgelock.config.ts'), path.join(project, 'edgelock.config.ts'));
    cpSync(path.join(installed, 'examples', 'users.htpasswd'), path.join(project, 'users.htpasswd'));
    const outdir = path.join(tmp, 'cdktf.out');
    ok(process.execPath, ['main.js'], project, { CDKTF_OUTDIR: outdir });
    for (const stack of ['acme-web-tools', 'acme-web-dev', 'acme-web-prod']) {
      const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource: object };
      expect(Object.keys(json.resource).length).toBeGreaterThan(3);
    }
  }, 60_000);
});
