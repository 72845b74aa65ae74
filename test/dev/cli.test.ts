/**
 * `edgelock dev` on the command line: bad options are usage errors (exit 2) that say how to fix
 * them; a missing build is an error that says to build.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, runInProcess, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/config';

const CONFIG = path.join(ROOT, 'examples', 'edgelock.config.ts');
const SITE = path.join(ROOT, 'examples', 'site');

describe('edgelock dev: option errors', () => {
  test.each([
    [['--port', 'eighty'], 2, /--port must be a port number from 0 to 65535 \(got "eighty"\)/],
    [['--port', '70000'], 2, /--port must be a port number/],
    [['--http-port', '9000'], 2, /--http-port only applies with --https/],
    [['--origin', SITE, '--site', SITE], 2, /use one or the other/],
    [['--env', 'staging'], 2, /no environment "staging"; this config has "dev", "prod"/],
    [['--site', '{tmp}/no-such-site'], 2, /--site .*no-such-site: no such folder/],
    [['--site', CONFIG], 2, /--site .*edgelock\.config\.ts is not a folder/],
    [['--origin', '{tmp}/no-such-site'], 2, /--origin .*no-such-site: no such folder/],
    [['--no-build', '--dist', '{tmp}/no-such-dist'], 1, /no .*no-such-dist\/manifest\.json: run "edgelock build" first/],
    [['--no-such-flag'], 2, /error: unknown option '--no-such-flag'/],
  ])('dev %j → exit %d', async (args, status, message) => {
    const tmp = tempDir('edgelock-dev-cli-');
    const r = await runInProcess(['dev', '--config', CONFIG, '--port', '0', ...(args as string[]).map((a) => a.replace('{tmp}', tmp))]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(status);
  });

  test('the binary: a relative --dist is read from the working folder, and a missing build exits 1', () => {
    const r = runCli(['dev', '--config', CONFIG, '--port', '0', '--no-build', '--dist', 'no-such-dist'], { cwd: tempDir('edgelock-dev-cli-') });
    expect(r.stderr).toMatch(/no .*edgelock-dev-cli-[^/]+\/no-such-dist\/manifest\.json: run "edgelock build" first/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(1);
  });
});

describe('edgelock dev --no-build: the dist folder must hold this config\'s bundles', () => {
  test.each([
    ['another project', { edgelock: '0.1.0', project: 'other-site', environments: {}, functions: {} }, /built for project "other-site", not "acme-web"; rebuild/],
    ['no bundles for the environment', { edgelock: '0.1.0', project: 'acme-web', environments: { prod: {} }, functions: {} }, /no bundles for environment "dev"; rebuild with "edgelock build --env dev"/],
    ['auth without a viewer-request bundle', { edgelock: '0.1.0', project: 'acme-web', environments: { dev: {} }, functions: {} }, /auth: true but .* has no viewer-request bundle/],
  ])('%s', async (_name, manifest, message) => {
    const dist = path.join(tempDir('edgelock-dev-cli-'), 'dist');
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(manifest));
    const r = await runInProcess(['dev', '--config', CONFIG, '--port', '0', '--no-build', '--dist', dist, '--origin', SITE]);
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(1);
  });
});
