import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bcryptProblem, userNameProblem } from '../../src/config/bcrypt';
import { defineConfig } from '../../src/config/define';
import { customHeaderProblem } from '../../src/config/headers';
import { parseHtpasswdText } from '../../src/config/htpasswd';
import { findConfigFile, loadConfig, parseConfig, readConfigFile, resolveConfig, selectEnvironment } from '../../src/config/load';
import { ConfigError } from '../../src/errors';
import { DEMO_HASH, tempDir, validConfig } from '../helpers/config';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('finding and reading config files', () => {
  it('a --config path that does not exist, or is a folder, is named with the folder it was resolved from', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub'));
    for (const given of ['missing.json', 'sub']) {
      const e = configError(() => findConfigFile(given, dir));
      expect(e.source).toBe(path.join(dir, given));
      expect(e.issues[0]!.message).toBe(`no such config file; check the --config path (relative to ${dir})`);
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.exitCode).toBe(2);
    }
  });

  it('the default names are looked up in order: .ts before .json', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'edgelock.config.json'), '{}');
    expect(findConfigFile(undefined, dir)).toBe(path.join(dir, 'edgelock.config.json'));
    writeFileSync(path.join(dir, 'edgelock.config.ts'), 'export default {};');
    expect(findConfigFile(undefined, dir)).toBe(path.join(dir, 'edgelock.config.ts'));
  });

  it.each<[string, string, RegExp]>([
    ['edgelock.config.json', '{ "project": ', /^not valid JSON: /],
    ['edgelock.config.yaml', 'project: acme', /unsupported config file type "\.yaml"/],
    ['edgelock.config.toml', 'project = "acme"', /unsupported config file type "\.toml"/],
    ['edgelock.config.js', 'throw new Error("no network here");', /^the config file threw while loading: no network here$/],
    ['edgelock.config.mjs', 'export default undefinedThing.project;', /^the config file threw while loading: .*undefinedThing/],
    ['edgelock.config.ts', 'export default {', /end of file/],
  ])('%s: %s is refused with a reason', (name, text, message) => {
    const file = path.join(tempDir(), name);
    writeFileSync(file, text);
    const e = configError(() => readConfigFile(file));
    expect(e.source).toBe(file);
    expect(e.issues[0]!.message).toMatch(message);
  });

  it.each<[string, string]>([
    ['edgelock.config.cjs', 'module.exports = { project: "x" };'],
    ['edgelock.config.mts', 'const p: string = "x"; export default { project: p };'],
    ['edgelock.config.js', 'exports.project = "x";'],
  ])('%s: the default export, or module.exports when there is none', (name, text) => {
    const file = path.join(tempDir(), name);
    writeFileSync(file, text);
    expect(readConfigFile(file)).toMatchObject({ project: 'x' });
  });
});

describe('defineConfig', () => {
  it('returns the very object it is given, unvalidated', () => {
    const config = validConfig();
    expect(defineConfig(config)).toBe(config);
    expect(Object.isFrozen(defineConfig(config))).toBe(false);
  });
});

describe('parseConfig messages', () => {
  it.each<[string, (c: any) => void, string, RegExp]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['several unknown keys', (c) => Object.assign(c, { enviroments: {}, prjoect: 'x' }), '', /^unknown keys "enviroments", "prjoect"; check the spelling/],
    ['a missing value', (c) => delete c.project, 'project', /\(got nothing\)$/],
    ['a long wrong value, shortened', (c) => (c.project = 'A'.repeat(200)), 'project', /\(got "A{76}\.\.\.\)$/],
    ['a bad environment name', (c) => (c.environments['Bad Name'] = c.environments.prod), 'environments.Bad Name', /^bad name "Bad Name": /],
    ['oaiCanonicalUserIds without OAI', (c) => (c.environments.dev.oaiCanonicalUserIds = ['a'.repeat(96)]), 'environments.dev.oaiCanonicalUserIds', /only applies with originAccess: "oai"/],
  ])('%s', (_name, mutate, at, message) => {
    const raw = validConfig() as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    mutate(raw);
    const e = configError(() => parseConfig(raw, 'test.json'));
    const hit = e.issues.find((i) => i.path === at);
    if (!hit) throw new Error(`no issue at "${at}": ${JSON.stringify(e.issues)}`);
    expect(hit.message).toMatch(message);
  });

  it('never echoes a value under users or hash', () => {
    const raw = validConfig() as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    raw.auth.users = 918273645;
    const e = configError(() => parseConfig(raw, 'test.json'));
    const hit = e.issues.find((i) => i.path === 'auth.users')!;
    expect(hit.message).toMatch(/htpasswd file/);
    expect(hit.message).not.toContain('918273645');
    // The same kind of issue elsewhere does name the value.
    raw.auth.users = [{ user: 'demo', hash: DEMO_HASH }];
    raw.auth.realm = 918273645;
    expect(configError(() => parseConfig(raw, 'test.json')).issues[0]!.message).toContain('(got 918273645)');
  });
});

describe('resolveConfig and selectEnvironment', () => {
  it('refuses an inline user listed twice', () => {
    const raw = validConfig();
    raw.auth!.users = [{ user: 'demo', hash: DEMO_HASH }, { user: 'demo', hash: DEMO_HASH }];
    const e = configError(() => resolveConfig(parseConfig(raw, 'c.json'), '/x/c.json', '/x'));
    expect(e.issues).toEqual([{ path: 'auth.users', message: 'user "demo" is listed twice' }]);
  });

  it('derives bucket names and domains, keeps a given bucket, and freezes everything', () => {
    const raw = validConfig();
    (raw.environments.prod as { bucket?: string }).bucket = 'acme-prod';
    const cfg = resolveConfig(parseConfig(raw, 'c.json'), '/x/c.json', '/x');
    expect(cfg.environments.dev).toMatchObject({ name: 'dev', bucket: 'acme-web-dev-site-222222222222', bucketDomain: 'acme-web-dev-site-222222222222.s3.eu-west-1.amazonaws.com' });
    expect(cfg.environments.prod).toMatchObject({ bucket: 'acme-prod', bucketDomain: 'acme-prod.s3.eu-west-1.amazonaws.com' });
    expect(cfg.auth!.usersSource).toBe('config');
    expect(Object.isFrozen(cfg.auth!.users[0])).toBe(true);
  });

  it('selectEnvironment returns the environment or lists the valid names', () => {
    const file = path.join(tempDir(), 'edgelock.config.json');
    writeFileSync(file, JSON.stringify(validConfig()));
    const cfg = loadConfig(file);
    expect(selectEnvironment(cfg, 'prod').name).toBe('prod');
    const e = configError(() => selectEnvironment(cfg, 'staging'));
    expect(e.source).toBe(file);
    expect(e.issues).toEqual([{ path: 'environments', message: 'no environment "staging"; this config has "dev", "prod"' }]);
  });
});

describe('credential rules', () => {
  it.each<[string, string | undefined]>([
    ['demo', undefined],
    ['bøb', undefined],
    ['a'.repeat(128), undefined],
    ['', 'user names may not be empty'],
    ['a'.repeat(129), 'user names are at most 128 characters'],
    ['de:mo', 'user name "de:mo" contains ":", which Basic auth cannot carry'],
    ['de\tmo', 'user names may not contain control characters'],
    ['demo\x7f', 'user names may not contain control characters'],
    [' demo', 'user name " demo" has leading or trailing white space'],
    ['demo\u00a0', 'user name "demo\u00a0" has leading or trailing white space'],
  ])('userNameProblem(%j) → %j', (user, problem) => {
    expect(userNameProblem(user)).toBe(problem);
  });

  it.each<[string, RegExp | undefined]>([
    [DEMO_HASH, undefined],
    [DEMO_HASH.replace('$2b$', '$2a$'), undefined],
    [DEMO_HASH.replace('$2b$', '$2y$'), undefined],
    [DEMO_HASH.replace('$10$', '$08$'), undefined],
    [DEMO_HASH.replace('$10$', '$11$'), undefined],
    [DEMO_HASH.replace('$10$', '$14$'), /cost 14 is too slow for an edge function .*about 16 s, .*use 8 to 11/],
    [DEMO_HASH.replace('$10$', '$07$'), /cost 7 is too weak/],
    [DEMO_HASH.replace('$2b$', '$2x$'), /not a bcrypt hash/],
    [`${DEMO_HASH}x`, /malformed bcrypt/],
    ['$5$salt$hash', /crypt\(3\) hashes \("\$5\$"\)/],
    ['$6$rounds=5000$salt$hash', /crypt\(3\) hashes \("\$6\$"\)/],
    ['', /not a bcrypt hash \(a plaintext password\?\)/],
  ])('bcryptProblem(%s) → %s', (hash, problem) => {
    if (problem) expect(bcryptProblem(hash)).toMatch(problem);
    else expect(bcryptProblem(hash)).toBeUndefined();
  });

  it('parseHtpasswdText reports every bad line with its number and keeps only good users', () => {
    const text = ['# users', '', `demo:${DEMO_HASH}`, 'no-colon', `demo:${DEMO_HASH}`, 'eve:plaintext', `  carol:${DEMO_HASH}  `, `:${DEMO_HASH}`].join('\r\n');
    const { users, problems } = parseHtpasswdText(text);
    expect(users).toEqual([{ user: 'demo', hash: DEMO_HASH }, { user: 'carol', hash: DEMO_HASH }]);
    expect(problems.map((p) => [p.line, p.message.split(';')[0]])).toEqual([
      [4, 'expected "user:hash"'],
      [5, 'user "demo" is listed twice'],
      [6, 'this is not a bcrypt hash (a plaintext password?): store only bcrypt hashes ("$2b$…")'],
      [8, 'user names may not be empty'],
    ]);
  });

  it.each<[string, RegExp | undefined]>([
    ['X-Robots-Tag', undefined],
    ['Content-Type', /describes the response body/],
    ['Set-Cookie', /describes the response body/],
    ['transfer-encoding', /./],
    ['X-Amz-Cf-Pop', /may not add/],
  ])('customHeaderProblem(%s) → %s', (name, problem) => {
    if (problem) expect(customHeaderProblem(name)).toMatch(problem);
    else expect(customHeaderProblem(name)).toBeUndefined();
  });
});
