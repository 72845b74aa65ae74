import { doctorCommand } from '../../src/cli/commands/doctor';
import { runCli, runInProcess } from '../helpers/cli';
import { validConfig, writeJsonConfig } from '../helpers/config';
import { SEED_ENV, seedWorld } from './scenarios';
import { DIST, healthyWorld, mockWorld, OAI_ID, distribution } from './world';

let file: string;
beforeAll(() => {
  const envs = {
    prod: { accountId: '333333333333', region: 'eu-west-1', auth: false, distributionId: DIST },
    legacy: { accountId: '333333333333', region: 'eu-west-1', auth: false, originAccess: 'oai' as const, bucket: 'acme-web-prod-site-333333333333', oaiCanonicalUserIds: SEED_ENV.oaiCanonicalUserIds },
  };
  file = writeJsonConfig(validConfig({}, envs, { only: true }));
});

const config = () => file;
/** The seed, without edge functions: the world's are named for environment prod, not legacy. */
const legacySeed = () => ({ ...seedWorld(), distribution: distribution({ oaiId: OAI_ID }, []) });

test('exit code 0 and a clean report for a healthy setup', async () => {
  let text = '';
  const code = await doctorCommand({ config: config(), env: 'prod' }, mockWorld(healthyWorld()), (s) => (text += s));
  expect(code).toBe(0);
  expect(text).toMatch(/No problem found/);
  expect(text).not.toMatch(/PROBLEM|LIKELIEST/);
});

test('exit code 1, the cause first and the fix last for the seed; --distribution overrides the config', async () => {
  let text = '';
  const code = await doctorCommand({ config: config(), env: 'legacy', distribution: DIST }, mockWorld(legacySeed()), (s) => (text += s));
  expect(code).toBe(1);
  expect(text.split('\n')[2]).toBe('1. [LIKELIEST CAUSE] Object Ownership and the object\'s owner (check 4)');
  expect(text.trimEnd().split('\n').pop()).toMatch(/^Fix: run `edgelock fix ownership --env legacy`/);
});

test('--json prints the report as data', async () => {
  let text = '';
  await doctorCommand({ config: config(), env: 'legacy', distribution: DIST, json: true }, mockWorld(legacySeed()), (s) => (text += s));
  const report = JSON.parse(text);
  expect(report.cause.id).toBe('object-ownership');
  expect(report.results).toHaveLength(8);
});

test.each([
  [['--env', 'legacy'], /environment "legacy" has no distributionId .*pass --distribution ID/],
  [['--env', 'prod', '--distribution', 'd123'], /--distribution "d123" is not a CloudFront distribution ID/],
  [['--env', 'staging'], /no environment "staging"; this config has "prod", "legacy"/],
  [['--env', 'prod', '--key', '/'], /--key is empty/],
  [[], /error: required option '-e, --env <name>' not specified/],
])('usage error: %j', async (args, message) => {
  const r = await runInProcess(['doctor', '--config', config(), ...args]);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('the binary exits 2 on a usage error, with the message and no stack', () => {
  const r = runCli(['doctor', '--config', config(), '--env', 'staging']);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/no environment "staging"; this config has "prod", "legacy"/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});
