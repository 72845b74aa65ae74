import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/errors';
import { loadConfig, parseConfig } from '../../src/config/load';
import { DEMO_HASH, resolvedConfig, tempDir, validConfig, writeJsonConfig } from '../helpers/config';

type Mutate = (c: any) => void;

/** Expects `mutate(validConfig())` to be rejected with an issue at `path` whose message matches. */
function expectIssue(mutate: Mutate, path: string, message: RegExp): ConfigError {
  const raw = validConfig();
  mutate(raw);
  let error: unknown;
  try {
    parseConfig(raw, 'test.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const issues = (error as ConfigError).issues;
  const hit = issues.find((i) => i.path === path);
  if (!hit) throw new Error(`no issue at "${path}"; got ${JSON.stringify(issues)}`);
  expect(hit.message).toMatch(message);
  return error as ConfigError;
}

const HOW_TO_HASH = /edgelock hash.*htpasswd -nbB/;

describe('config validation', () => {
  test('the valid example parses, with defaults applied', () => {
    const cfg = parseConfig(validConfig(), 'test.json');
    expect(cfg.environments.dev!.originAccess).toBe('oac');
    expect(cfg.auth!.protect).toEqual(['/*']);
    expect(cfg.auth!.bypass).toEqual([]);
    expect(cfg.auth!.maxVerificationsPerSecond).toBe(1);
    expect(cfg.headers.hsts).toEqual({ maxAge: 63072000, includeSubDomains: true, preload: false });
    expect(cfg.origin.allowedMethods).toEqual(['GET', 'HEAD']);
  });

  test.each<[string, Mutate, string, RegExp]>([
    ['a short account ID', (c) => (c.environments.dev.accountId = '1234'), 'environments.dev.accountId', /12-digit AWS account ID.*got "1234"/],
    ['an account ID as a number', (c) => (c.tools.accountId = 111111111111), 'tools.accountId', /12-digit/],
    ['a bad region', (c) => (c.environments.dev.region = 'europe'), 'environments.dev.region', /AWS region, e\.g\. "eu-west-1"/],
    ['an unknown origin access mode', (c) => (c.environments.dev.originAccess = 'public'), 'environments.dev.originAccess', /"oac".*"oai"/],
    ['auth that is not a boolean', (c) => (c.environments.dev.auth = 'yes'), 'environments.dev.auth', /true or false/],
    ['no environments', (c) => (c.environments = {}), 'environments', /at least one environment/],
    ['a bad environment name', (c) => (c.environments.Prod = c.environments.prod), 'environments.Prod', /environment names/],
    ['a bad project name', (c) => (c.project = 'Acme Web'), 'project', /a-z, 0-9 and "-"/],
    ['an auth environment without an auth section', (c) => delete c.auth, 'auth', /auth section is required/],
    ['a plaintext password', (c) => (c.auth.users = [{ user: 'demo', hash: 'hunter2' }]), 'auth.users.0.hash', /plaintext/],
    ['an Apache MD5 hash', (c) => (c.auth.users = [{ user: 'demo', hash: '$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/' }]), 'auth.users.0.hash', /\$apr1\$/],
    ['a {SHA} hash', (c) => (c.auth.users = [{ user: 'demo', hash: '{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=' }]), 'auth.users.0.hash', /\{SHA\}/],
    ['a DES crypt hash', (c) => (c.auth.users = [{ user: 'demo', hash: 'rl0uE2yGQ4Fqs' }]), 'auth.users.0.hash', /DES crypt/],
    ['an MD5 crypt hash', (c) => (c.auth.users = [{ user: 'demo', hash: '$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0' }]), 'auth.users.0.hash', /crypt\(3\)/],
    ['a bcrypt cost below 8', (c) => (c.auth.users = [{ user: 'demo', hash: DEMO_HASH.replace('$10$', '$04$') }]), 'auth.users.0.hash', /cost 4 is too weak/],
    ['a bcrypt cost above 14', (c) => (c.auth.users = [{ user: 'demo', hash: DEMO_HASH.replace('$10$', '$15$') }]), 'auth.users.0.hash', /cost 15 is too slow/],
    ['bcrypt cost 12, past the 128 MB function\'s budget', (c) => (c.auth.users = [{ user: 'demo', hash: DEMO_HASH.replace('$10$', '$12$') }]), 'auth.users.0.hash', /cost 12 is too slow .*about 4 s, against a 5 s timeout.*use 8 to 11/],
    ['a truncated bcrypt hash', (c) => (c.auth.users = [{ user: 'demo', hash: DEMO_HASH.slice(0, 40) }]), 'auth.users.0.hash', /malformed bcrypt/],
    ['a user name with a colon', (c) => (c.auth.users = [{ user: 'de:mo', hash: DEMO_HASH }]), 'auth.users.0.user', /contains ":"/],
    ['an empty user list', (c) => (c.auth.users = []), 'auth.users', /at least one user/],
    ['a misspelt key', (c) => (c.enviroments = {}), '', /unknown key "enviroments"/],
    ['a bypass pattern with a wildcard inside', (c) => (c.auth.bypass = ['/a*b']), 'auth.bypass.0', /path pattern/],
    ['a bypass pattern with a dot segment', (c) => (c.auth.bypass = ['/public/../admin']), 'auth.bypass.0', /normalised path/],
    ['a bcrypt ceiling of zero', (c) => (c.auth.maxVerificationsPerSecond = 0), 'auth.maxVerificationsPerSecond', /at least 0\.1/],
    ['a bcrypt ceiling above 100', (c) => (c.auth.maxVerificationsPerSecond = 1000), 'auth.maxVerificationsPerSecond', /at most 100/],
    ['a spaFallback with a ".." segment', (c) => (c.origin = { spaFallback: '/../secret.html' }), 'origin.spaFallback', /canonical key.*no "\/\/", "\." or "\.\." segments/],
    ['a spaFallback with "//"', (c) => (c.origin = { spaFallback: '//index.html' }), 'origin.spaFallback', /canonical key/],
    ['a spaFallback with a "." segment', (c) => (c.origin = { spaFallback: '/app/./index.html' }), 'origin.spaFallback', /canonical key/],
    ['a spaFallback that is a folder', (c) => (c.origin = { spaFallback: '/app/' }), 'origin.spaFallback', /no trailing/],
    ['a spaFallback with an escape', (c) => (c.origin = { spaFallback: '/a%2Fb.html' }), 'origin.spaFallback', /expected the key of a document/],
    ['a maxUriLength that can pass 8192 once "/index.html" is appended', (c) => (c.origin = { maxUriLength: 8182 }), 'origin.maxUriLength', /at most 8181.*8192 bytes/],
    ['a realm with a quote', (c) => (c.auth.realm = 'a"b'), 'auth.realm', /double quote/],
    ['HSTS preload without subdomains', (c) => (c.headers = { hsts: { preload: true, includeSubDomains: false } }), 'headers.hsts', /preload needs includeSubDomains/],
    ['a domain without a certificate', (c) => (c.environments.prod.domain = 'www.example.com'), 'environments.prod.certificateArn', /ACM certificate/],
    ['an OAI canonical ID of the wrong length', (c) => { c.environments.dev.originAccess = 'oai'; c.environments.dev.oaiCanonicalUserIds = ['ab'.repeat(40)]; }, 'environments.dev.oaiCanonicalUserIds.0', /96 \(or, for an account, 64\) lower-case hex digits/],
    ['two environments sharing a bucket', (c) => { c.environments.dev.bucket = 'acme-site'; c.environments.prod.bucket = 'acme-site'; }, 'environments.prod.bucket', /also used by environment "dev"/],
    ['a bucket name S3 reserves for access point aliases', (c) => (c.environments.dev.bucket = 'acme-site-s3alias'), 'environments.dev.bucket', /reserved prefix or suffix/],
    ['a bucket name in IP address form', (c) => (c.environments.dev.bucket = '192.168.10.1'), 'environments.dev.bucket', /IP address form/],
    ['a log retention CloudWatch Logs does not offer', (c) => (c.stacks = { logging: { logGroupRetentionDays: 100 } }), 'stacks.logging.logGroupRetentionDays', /CloudWatch Logs retention in days: one of 1, 3, 5/],
    ['a WAF log retention CloudWatch Logs does not offer', (c) => (c.stacks = { waf: { logRetentionDays: 2 } }), 'stacks.waf.logRetentionDays', /CloudWatch Logs retention/],
    ['two error pages for one status code', (c) => (c.stacks = { errorPages: [{ code: 404, page: '/404.html' }, { code: 404, page: '/missing.html' }] }), 'stacks.errorPages', /each status code at most once/],
    ['an edge log region listed twice', (c) => (c.stacks = { edgeLogRegions: ['us-east-1', 'eu-west-1', 'us-east-1'] }), 'stacks.edgeLogRegions', /lists a region twice/],
  ])('rejects %s', (_name, mutate, path, message) => {
    expectIssue(mutate, path, message);
  });

  test.each([
    ['plaintext', 'hunter2-secret'],
    ['a weak bcrypt hash', DEMO_HASH.replace('$10$', '$04$')],
  ])('never echoes a %s credential in the error', (_name, secret) => {
    const error = expectIssue((c) => (c.auth.users = [{ user: 'demo', hash: secret }]), 'auth.users.0.hash', HOW_TO_HASH);
    expect(error.message).not.toContain(secret);
  });

  test('accepts a canonical spaFallback and the longest maxUriLength', () => {
    const cfg = parseConfig(validConfig({ origin: { spaFallback: '/app/v1.2/index.html', maxUriLength: 8181 } }), 'test.json');
    expect(cfg.origin.spaFallback).toBe('/app/v1.2/index.html');
    expect(cfg.origin.maxUriLength).toBe(8181);
  });

  test('accepts 96-digit OAI canonical IDs', () => {
    const raw: any = validConfig();
    raw.environments.dev.originAccess = 'oai';
    raw.environments.dev.oaiCanonicalUserIds = ['b970b42360b81c8ddbd79d2f5df0069ba9033c8a79655752abe380cd6d63ba8bcf23384d568fcf89fc49700b5e11a0fd'];
    expect(parseConfig(raw, 'test.json').environments.dev!.oaiCanonicalUserIds).toHaveLength(1);
  });

  test('reports every problem at once', () => {
    const raw: any = validConfig();
    raw.environments.dev.accountId = 'x';
    raw.environments.prod.region = 'nowhere';
    raw.project = '!';
    let error: ConfigError | undefined;
    try {
      parseConfig(raw, 'test.json');
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error!.issues.map((i) => i.path).sort()).toEqual(['environments.dev.accountId', 'environments.prod.region', 'project']);
  });
});

describe('bcrypt costs', () => {
  test.each([8, 9, 10, 11])('accepts cost %i', (cost) => {
    const hash = DEMO_HASH.replace('$10$', `$${String(cost).padStart(2, '0')}$`);
    expect(resolvedConfig(validConfig({ auth: { realm: 'R', users: [{ user: 'demo', hash }] } })).auth!.users[0]!.hash).toBe(hash);
  });

  test('refuses users of mixed costs, naming each user and how to rehash', () => {
    const users = [
      { user: 'demo', hash: DEMO_HASH },
      { user: 'alice', hash: DEMO_HASH.replace('$10$', '$08$') },
      { user: 'bob', hash: DEMO_HASH.replace('$10$', '$08$') },
    ];
    let error: unknown;
    try {
      resolvedConfig(validConfig({ auth: { realm: 'R', users } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues[0]!;
    expect(issue.path).toBe('auth.users');
    expect(issue.message).toMatch(/same bcrypt cost.*cost 8: "alice", "bob"; cost 10: "demo".*htpasswd -nbBC 10 <user> <password>.*npx edgelock hash <user>/);
    expect(issue.message).not.toContain(DEMO_HASH.slice(7));
  });

  test('refuses an htpasswd file of mixed costs, naming the file', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'users.htpasswd'), `demo:${DEMO_HASH}\nalice:${DEMO_HASH.replace('$10$', '$09$')}\n`);
    const file = writeJsonConfig({ ...validConfig(), auth: { realm: 'R', users: './users.htpasswd' } }, dir);
    expect(() => loadConfig(file)).toThrow(/users\.htpasswd[\s\S]*cost 9: "alice"; cost 10: "demo"/);
  });
});

describe('htpasswd users', () => {
  function configWithHtpasswd(text: string): string {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'users.htpasswd'), text);
    return writeJsonConfig({ ...validConfig(), auth: { realm: 'R', users: './users.htpasswd' } }, dir);
  }

  test('reads bcrypt lines relative to the config file, skipping comments and blank lines', () => {
    const file = configWithHtpasswd(`# team\n\ndemo:${DEMO_HASH}\nalice:${DEMO_HASH.replace('$2b$', '$2y$')}\n`);
    const cfg = loadConfig(file, '/');
    expect(cfg.auth!.users.map((u) => u.user)).toEqual(['demo', 'alice']);
    expect(cfg.auth!.usersSource).toBe(path.join(path.dirname(file), 'users.htpasswd'));
  });

  test.each([
    ['an $apr1$ line', 'bob:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/', /:2\)$/, /\$apr1\$/],
    ['a line without a colon', 'bob', /:2\)$/, /expected "user:hash"/],
    ['a duplicate user', `demo:${DEMO_HASH}`, /:2\)$/, /listed twice/],
  ])('rejects the whole file for %s, naming the line', (_name, line, where, message) => {
    const file = configWithHtpasswd(`demo:${DEMO_HASH}\n${line}\n`);
    try {
      loadConfig(file);
      throw new Error('expected a ConfigError');
    } catch (e) {
      const issue = (e as ConfigError).issues[0]!;
      expect(issue.path).toMatch(/^auth\.users \(.*users\.htpasswd/);
      expect(issue.path).toMatch(where);
      expect(issue.message).toMatch(message);
    }
  });

  test('a missing htpasswd file is named, with the rule for relative paths', () => {
    const file = writeJsonConfig({ ...validConfig(), auth: { realm: 'R', users: './nope.htpasswd' } });
    expect(() => loadConfig(file)).toThrow(/cannot read htpasswd file .*nope\.htpasswd .*relative to the config file's folder/);
  });

  test('an htpasswd file with no users is refused', () => {
    expect(() => loadConfig(configWithHtpasswd('# nobody\n'))).toThrow(/has no users/);
  });
});
