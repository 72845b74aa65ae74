/**
 * `CHECKPOINT_DISABLE=1 npx cdktf synth` for the example config, offline, as CI and users run it:
 * it exits 0 and writes the tools stack and one stack per environment. A missing build exits
 * non-zero with the message, not a stack trace. The example is built once, and the runs start
 * together (each cdktf synth spends most of its time starting up).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { ROOT, runProcess, type CliResult } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { buildConfig, buildExample } from './example';

const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');

type Run = CliResult;

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 85_000): Promise<Run> {
  return runProcess(command, args, { cwd: ROOT, env, timeoutMs });
}

function synth(dist: string, output: string): Promise<Run> {
  return run(CDKTF, ['synth', '--output', output], { ...process.env, CHECKPOINT_DISABLE: '1', EDGELOCK_DIST: dist, CI: '1', FORCE_COLOR: '0' });
}

let tmp: string;
let ok: Promise<Run>;
let missing: Promise<Run>;
let broken: Promise<Run>;

beforeAll(async () => {
  tmp = tempDir('edgelock-synth-');
  missing = synth(path.join(tmp, 'no-such-dist'), path.join(tmp, 'fail'));
  const dist = await buildExample();
  ok = synth(dist, path.join(tmp, 'ok'));
  const config = path.join(tmp, 'broken.config.ts');
  const example = path.join(ROOT, 'examples');
  writeFileSync(
    config,
    `import base from ${JSON.stringify(path.join(example, 'edgelock.config.ts'))};\n` +
      `export default { ...base, auth: { ...base.auth, users: ${JSON.stringify(path.join(example, 'users.htpasswd'))} },\n` +
      `  stacks: { behaviors: [{ pathPattern: '/public/*', handlers: ['origin-request', 'origin-response'] }] } };\n`,
  );
  // The broken variant synthesizes from a build of itself: synth refuses a build of another config.
  const brokenDist = await buildConfig(loadConfig(config));
  broken = run(process.execPath, ['--import', 'tsx', 'cdktf/main.ts'], { ...process.env, EDGELOCK_CONFIG: config, EDGELOCK_DIST: brokenDist, CDKTF_OUTDIR: path.join(tmp, 'broken-out') });
  // Every run is awaited here, so none outlives the folder's removal.
  await Promise.all([ok, missing, broken]);
}, 120_000);

it('synthesizes the example app offline: tools, dev and prod', async () => {
  const r = await ok;
  const out = path.join(tmp, 'ok');
  expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr + r.stdout }).toEqual({ status: 0, stderr: '' });
  for (const stack of ['acme-web-tools', 'acme-web-dev', 'acme-web-prod']) {
    const json = JSON.parse(readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.resource).length).toBeGreaterThan(3);
  }
  expect(existsSync(path.join(out, 'stacks', 'acme-web-dev', 'assets'))).toBe(true);
});

it('fails without a build, telling the user to build first', async () => {
  const r = await missing;
  expect(r.status).not.toBe(0);
  expect(r.stdout + r.stderr).toMatch(/edgelock: no build manifest at .*no-such-dist\/manifest\.json: run `npm run build`/);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
});

it('fails a config with an unprotected behaviour in an auth environment, naming it, with no hint to skip the check', async () => {
  const r = await broken;
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^edgelock: .*\n.*\[acme-web-dev\/cdn\] environment "dev" has auth: true but the cache behaviour "\/public\/\*" has no viewer-request/);
  expect(r.stderr).not.toMatch(/skipValidation|\n\s+at /);
});
