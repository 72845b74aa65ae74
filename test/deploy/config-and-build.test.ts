/**
 * The deploy keys of the config schema, and the deploy function the build writes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEdge } from '../../src/build';
import { sha256 } from '../../src/build/bundle';
import { PREBUILT_DIR, bundleDeployCode, deployFunctionJs, isInstalledPackage, readPrebuiltDeployCode } from '../../src/build/deploy-function';
import { loadConfig, parseConfig, resolveConfig } from '../../src/config/load';
import { ConfigError } from '../../src/errors';
import { ROOT } from '../helpers/cli';
import { tempDir, validConfig } from '../helpers/config';

type Raw = ReturnType<typeof validConfig> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function issues(mutate: (c: Raw) => void): { path: string; message: string }[] {
  const raw = validConfig() as Raw;
  mutate(raw);
  try {
    parseConfig(raw, 'test');
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('deploy config keys', () => {
  test('defaults', () => {
    const d = parseConfig(validConfig(), 'test').deploy;
    expect(d).toEqual({
      concurrency: 16,
      prefix: '',
      include: [],
      exclude: [],
      allowSecrets: [],
      maxDeletes: '90%',
      roleName: 'edgelock-deploy',
      artifactDir: '.',
      pipelineAdopt: false,
      maxAttempts: 6,
      requestTimeoutSeconds: 60,
      invalidation: { maxPaths: 500, wait: true, waitSeconds: 600 },
      preflight: { ignore: [], links: false },
      verify: { ownership: true, probe: true, probePaths: 3, probeAttempts: 6, probeCredentialsEnv: 'EDGELOCK_PROBE_CREDENTIALS' },
    });
  });

  test('partial sub-objects keep the other defaults', () => {
    const d = parseConfig({ ...validConfig(), deploy: { verify: { probe: false }, invalidation: { wait: false } } }, 'test').deploy;
    expect(d.verify).toMatchObject({ probe: false, ownership: true, probePaths: 3 });
    expect(d.invalidation).toEqual({ maxPaths: 500, wait: false, waitSeconds: 600 });
  });

  test.each<[string, (c: Raw) => void, string, RegExp]>([
    ['an environment named "origin"', (c) => (c.environments.origin = c.environments.prod!), 'environments.origin', /may not be named "origin": the build writes non-edge bundles under <out>\/origin\//],
    ['an artifact folder that climbs out', (c) => (c.deploy = { artifactDir: '../x' }), 'deploy.artifactDir', /may not contain "\.\."/],
    ['an absolute artifact folder', (c) => (c.deploy = { artifactDir: '/site' }), 'deploy.artifactDir', /relative folder/],
    ['more invalidation paths than CloudFront allows', (c) => (c.deploy = { invalidation: { maxPaths: 5000 } }), 'deploy.invalidation.maxPaths', /3000/],
    ['a request timeout of no time', (c) => (c.deploy = { requestTimeoutSeconds: 0 }), 'deploy.requestTimeoutSeconds', />=1/],
    ['a prefix with a leading slash', (c) => (c.deploy = { prefix: '/site/' }), 'deploy.prefix', /key prefix such as "site\/"/],
    ['a prefix without its trailing slash', (c) => (c.deploy = { prefix: 'site' }), 'deploy.prefix', /each ending with "\/"/],
    ['the reserved prefix', (c) => (c.deploy = { prefix: '.edgelock/x/' }), 'deploy.prefix', /key prefix/],
    ['a prefix that climbs out', (c) => (c.deploy = { prefix: 'a/../' }), 'deploy.prefix', /key prefix/],
    ['a percentage above 100', (c) => (c.deploy = { maxDeletes: '150%' }), 'deploy.maxDeletes', /percentage such as "50%"/],
    ['a negative count', (c) => (c.deploy = { maxDeletes: -1 }), 'deploy.maxDeletes', /./],
    ['a password where an env var name belongs', (c) => (c.deploy = { verify: { probeCredentialsEnv: 'demo:secret' } }), 'deploy.verify.probeCredentialsEnv', /environment variable name/],
    ['zero attempts', (c) => (c.deploy = { maxAttempts: 0 }), 'deploy.maxAttempts', /1/],
    ['a pipelineAdopt that is not a boolean', (c) => (c.deploy = { pipelineAdopt: 'yes' as never }), 'deploy.pipelineAdopt', /boolean/],
    ['an unknown verify key', (c) => (c.deploy = { verify: { probes: 3 } as never }), 'deploy.verify', /unknown key "probes"/],
    ['pre-flight ignore patterns given as one string', (c) => (c.deploy = { preflight: { ignore: '/uploads/' as never } }), 'deploy.preflight.ignore', /list of gitignore-style patterns, e.g. \["\/uploads\/"/],
    ['an unknown pre-flight key', (c) => (c.deploy = { preflight: { exclude: [] } as never }), 'deploy.preflight', /unknown key "exclude"/],
  ])('%s is refused, naming the field', (_name, mutate, field, message) => {
    const found = issues(mutate);
    expect(found.map((i) => i.path)).toContain(field);
    expect(found.find((i) => i.path === field)!.message).toMatch(message);
  });
});

describe('the build writes the pipeline deploy function', () => {
  const example = path.join(ROOT, 'examples', 'edgelock.config.ts');
  let out: string;
  beforeAll(async () => {
    out = path.join(tempDir(), 'dist');
    await buildEdge(loadConfig(example), { outDir: out });
  });
  afterAll(() => rmSync(path.dirname(out), { recursive: true, force: true }));

  test('origin/deploy/index.js and a deterministic origin/deploy.zip, recorded in the manifest', async () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const entry = manifest.functions.deploy;
    expect(entry).toMatchObject({ bundle: 'origin/deploy/index.js', zip: 'origin/deploy.zip' });
    const zip = readFileSync(path.join(out, entry.zip));
    expect(entry.sha256).toBe(sha256(zip));
    expect(entry.sourceCodeHash).toBe(sha256(zip, 'base64'));
    expect(entry.zipBytes).toBeLessThan(50 * 1024 * 1024);

    const again = path.join(tempDir(), 'dist');
    await buildEdge(loadConfig(example), { outDir: again });
    expect(readFileSync(path.join(again, 'origin', 'deploy.zip')).equals(zip)).toBe(true);
    rmSync(path.dirname(again), { recursive: true, force: true });
  });

  test('the bundle loads on its own (no node_modules), exports handler, and carries no password hashes', () => {
    const js = readFileSync(path.join(out, 'origin', 'deploy', 'index.js'), 'utf8');
    const alone = mkdtempSync(path.join(os.tmpdir(), 'edgelock-lambda-'));
    writeFileSync(path.join(alone, 'index.js'), js);
    try {
      // A plain Node process, as Lambda loads it (and without jest transforming a megabyte of code).
      const loaded = spawnSync(process.execPath, ['-e', 'process.stdout.write(typeof require(process.argv[1]).handler)', path.join(alone, 'index.js')], { cwd: alone, encoding: 'utf8' });
      expect(loaded.stderr).toBe('');
      expect(loaded.stdout).toBe('function');
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
    // Plain booleans: a failing match would print the whole megabyte bundle.
    expect(/\$2[aby]\$\d\d\$/.test(js)).toBe(false);
    expect(js.includes('"roleName":"edgelock-deploy"')).toBe(true);
  });

  test('a single-environment build keeps the deploy function entry', async () => {
    const config = resolveConfig(parseConfig(validConfig(), 'x'), example, path.dirname(example));
    const before = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).functions.deploy;
    await buildEdge({ ...config, project: 'acme-web' }, { outDir: out, env: 'prod' });
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).functions.deploy).toEqual(before);
  });
});

describe('the deploy function code bundled by `npm run compile` (lib/functions)', () => {
  // npm test compiles first; a jest run without it finds no prebuilt code and bundles from source.
  const prebuilt = readPrebuiltDeployCode();
  const withPrebuilt = prebuilt === undefined ? test.skip : test;

  withPrebuilt('gives the same index.js as bundling from source', async () => {
    const fromSource = path.join(tempDir(), 'none');
    const config = { roleName: 'edgelock-deploy', marker: 'same-bytes' };
    const [a, b] = [await deployFunctionJs(config, 'deploy function for x'), await deployFunctionJs(config, 'deploy function for x', fromSource)];
    expect(a === b).toBe(true);
    expect(prebuilt === (await bundleDeployCode()).js).toBe(true);
  });

  withPrebuilt('is not used once a file it was built from changed, nor when the code or the record is damaged', () => {
    const copy = (): string => {
      const dir = path.join(tempDir(), 'functions');
      cpSync(PREBUILT_DIR, dir, { recursive: true });
      return dir;
    };
    const recordOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'deploy-code.json'), 'utf8'));

    const intact = copy();
    expect(readPrebuiltDeployCode(intact)).toBe(prebuilt);

    const changedInput = copy();
    const record = recordOf(changedInput);
    const lambdaSource = Object.keys(record.inputs).find((f) => f.endsWith('src/origin/deploy/lambda.ts'));
    expect(lambdaSource).toBeDefined();
    record.inputs[lambdaSource!] = sha256('an older lambda.ts');
    writeFileSync(path.join(changedInput, 'deploy-code.json'), JSON.stringify(record));
    expect(readPrebuiltDeployCode(changedInput)).toBeUndefined();

    const otherEsbuild = copy();
    writeFileSync(path.join(otherEsbuild, 'deploy-code.json'), JSON.stringify({ ...recordOf(otherEsbuild), esbuild: '0.0.1' }));
    expect(readPrebuiltDeployCode(otherEsbuild)).toBeUndefined();

    const damagedCode = copy();
    writeFileSync(path.join(damagedCode, 'deploy-code.js'), `${prebuilt}\n// edited by hand`);
    expect(readPrebuiltDeployCode(damagedCode)).toBeUndefined();

    // Installed (inside node_modules), the dependencies are wherever the user's npm put them: only
    // edgelock's own files are compared.
    const movedDependency = copy();
    const moved = recordOf(movedDependency);
    const sdkFile = Object.keys(moved.inputs).find((f) => f.startsWith('node_modules/@aws-sdk/'))!;
    moved.inputs[sdkFile] = sha256('laid out elsewhere');
    writeFileSync(path.join(movedDependency, 'deploy-code.json'), JSON.stringify(moved));
    expect(readPrebuiltDeployCode(movedDependency, false)).toBeUndefined();
    expect(readPrebuiltDeployCode(movedDependency, true)).toBe(prebuilt);
    expect(readPrebuiltDeployCode(changedInput, true)).toBeUndefined();
    expect(isInstalledPackage(path.join('/app', 'node_modules', 'edgelock'))).toBe(true);
    expect(isInstalledPackage(ROOT)).toBe(false);

    const damagedRecord = copy();
    writeFileSync(path.join(damagedRecord, 'deploy-code.json'), '{"edgelock":');
    expect(readPrebuiltDeployCode(damagedRecord)).toBeUndefined();
  });
});
