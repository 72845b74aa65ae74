/**
 * `edgelock dev --https --origin DIR` as users run it: the http port redirects to https, the https
 * port answers through the built handlers with the folder as origin, and SIGTERM stops it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BIN, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/config';
import { DEMO_AUTH, raw } from './helpers';

test('dev --https --origin examples/site: 301 to https, then 401 and 200 over TLS', async () => {
  const cwd = tempDir('edgelock-dev-cwd-');
  const child = spawn(
    process.execPath,
    [BIN, 'dev', '--config', path.join(ROOT, 'examples', 'edgelock.config.ts'), '--env', 'dev', '--port', '0', '--https', '--origin', path.join(ROOT, 'examples', 'site'), '--json', '--quiet'],
    { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`edgelock dev exited with ${code}`)));
    });
    const s = JSON.parse(line) as { url: string; redirectUrl: string; certFile: string; s3: unknown; origin: string };
    expect(s.url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(s.s3).toBeNull();
    expect(s.origin).toContain(path.join(ROOT, 'examples', 'site'));
    expect(s.certFile).toBe(path.join(cwd, '.edgelock', 'dev-tls', 'localhost.crt'));
    const ca = readFileSync(s.certFile, 'utf8');

    const redirect = await raw(s.redirectUrl, '/docs/?x=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`${s.url}/docs/?x=1`);

    const denied = await raw(s.url, '/', { ca });
    expect(denied.status).toBe(401);
    expect(denied.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const page = await raw(s.url, '/docs/', { ca, headers: { authorization: DEMO_AUTH } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Docs');
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});
