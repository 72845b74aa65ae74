/**
 * `CHECKPOINT_DISABLE=1 npx cdktf synth` for the example config, offline, as CI and users run it:
 * it exits 0 and writes the tools stack and one stack per environment. A missing build exits
 * non-zero with the message, not a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { buildConfig, buildExample } from './example';

const ROOT = path.join(__dirname, '..', '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');

function synth(dist: string, output: string) {
  return spawnSync(CDKTF, ['synth', '--output', output], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', EDGELOCK_DIST: dist, CI: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'edgelock-synth-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('synthesizes the example app offline: tools, dev and prod', async () => {
  const dist = await buildExample();
  try {
    const out = path.join(tmp, 'ok');
    const r = synth(dist, out);
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr + r.stdout }).toEqual({ status: 0, stderr: '' });
    for (const stack of ['acme-web-tools', 'acme-web-dev', 'acme-web-prod']) {
      const json = JSON.parse(readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(json.resource).length).toBeGreaterThan(3);
    }
    expect(existsSync(path.join(out, 'stacks', 'acme-web-dev', 'assets'))).toBe(true);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}, 90_000);

it('fails without a build, telling the user to build first', () => {
  const r = synth(path.join(tmp, 'no-such-dist'), path.join(tmp, 'fail'));
  expect(r.status).not.toBe(0);
  expect(r.stdout + r.stderr).toMatch(/edgelock: no build manifest at .*no-such-dist\/manifest\.json: run `npm run build`/);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
}, 90_000);

it('fails a config with an unprotected behaviour in an auth environment, naming it, with no hint to skip the check', async () => {
  let dist: string | undefined;
  try {
    const config = path.join(tmp, 'broken.config.ts');
    const example = path.join(ROOT, 'examples');
    writeFileSync(
      config,
      `import base from ${JSON.stringify(path.join(example, 'edgelock.config.ts'))};\n` +
        `export default { ...base, auth: { ...base.auth, users: ${JSON.stringify(path.join(example, 'users.htpasswd'))} },\n` +
        `  stacks: { behaviors: [{ pathPattern: '/public/*', handlers: ['origin-request', 'origin-response'] }] } };\n`,
    );
    dist = await buildConfig(loadConfig(config));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cdktf/main.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, EDGELOCK_CONFIG: config, EDGELOCK_DIST: dist, CDKTF_OUTDIR: path.join(tmp, 'broken-out') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^edgelock: .*\n.*\[acme-web-dev\/cdn\] environment "dev" has auth: true but the cache behaviour "\/public\/\*" has no viewer-request/);
    expect(r.stderr).not.toMatch(/skipValidation|\n\s+at /);
  } finally {
    if (dist) rmSync(dist, { recursive: true, force: true });
  }
}, 60_000);
