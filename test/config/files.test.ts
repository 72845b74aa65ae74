import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile, loadConfig } from '../../src/config/load';
import { ROOT, runCli } from '../helpers/cli';
import { DEMO_HASH, tempDir, validConfig } from '../helpers/config';

const body = JSON.stringify(validConfig(), null, 2);

describe('config files', () => {
  test.each([
    ['edgelock.config.ts', `import { defineConfig } from 'edgelock';\nconst accountId: string = '111111111111';\nexport default defineConfig({ ...${body}, tools: { accountId } });\n`],
    ['edgelock.config.mjs', `export default ${body};\n`],
    ['edgelock.config.js', `module.exports = ${body};\n`],
    ['edgelock.config.json', body],
  ])('%s loads to the same config', (name, text) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, name), text);
    expect(findConfigFile(undefined, dir)).toBe(path.join(dir, name));
    const cfg = loadConfig(undefined, dir);
    expect(cfg.project).toBe('acme-web');
    expect(cfg.tools.accountId).toBe('111111111111');
    expect(cfg.environments.dev!.bucket).toBe('acme-web-dev-site-222222222222');
    expect(cfg.environments.dev!.bucketDomain).toBe('acme-web-dev-site-222222222222.s3.eu-west-1.amazonaws.com');
    expect(cfg.auth!.users).toEqual([{ user: 'demo', hash: DEMO_HASH }]);
    expect(Object.isFrozen(cfg.environments.dev)).toBe(true);
  });

  test('the example config loads, with its htpasswd read from beside it', () => {
    const cfg = loadConfig(path.join(ROOT, 'examples', 'edgelock.config.ts'));
    expect(cfg.auth!.users.map((u) => u.user)).toEqual(['demo']);
    expect(cfg.auth!.bypass).toEqual(['/health', '/.well-known/*']);
    expect(Object.keys(cfg.environments)).toEqual(['dev', 'prod']);
  });

  test('a TypeScript syntax error names the line', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'edgelock.config.ts'), 'export default {\n  project: ,\n};\n');
    expect(() => loadConfig(undefined, dir)).toThrow(/line 2:\d+/);
  });

  test('no config file says how to get one', () => {
    expect(() => loadConfig(undefined, tempDir())).toThrow(/no edgelock\.config\.ts here; pass --config FILE/);
  });
});

describe('the CLI on bad config', () => {
  test.each([
    ['a bad account ID', (c: any) => (c.environments.dev.accountId = '12'), /environments\.dev\.accountId: expected a 12-digit AWS account ID/],
    ['a plaintext password', (c: any) => (c.auth.users = [{ user: 'demo', hash: 'hunter2' }]), /auth\.users\.0\.hash: .*edgelock hash/],
    ['a missing auth section', (c: any) => delete c.auth, /auth: environment "dev" has auth: true/],
  ])('exits 2 on %s, naming the field, with no stack trace', (_name, mutate, message) => {
    const cfg: any = validConfig();
    mutate(cfg);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'edgelock.config.json'), JSON.stringify(cfg));
    const r = runCli(['build', '--out', path.join(dir, 'dist')], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^edgelock: invalid config .*edgelock\.config\.json/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('hunter2');
  });

  test('an unknown environment lists the valid ones', () => {
    const r = runCli(['build', '-c', 'examples/edgelock.config.ts', '--env', 'staging', '--out', path.join(tempDir(), 'd')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no environment "staging"; this config has "dev", "prod"/);
  });
});
