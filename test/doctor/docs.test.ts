/**
 * The README's "When you get a 403" shows real output of edgelock on the seed scenario. This test
 * keeps it real: it fails when the output changes and the README does not (UPDATE_DOCS=1 rewrites
 * the blocks). docs/doctor.md lists the reasons a check can find a problem with, and their
 * likelihoods: that list must be the doctor's own table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixOwnershipCommand } from '../../src/cli/commands/fix';
import { logsCommand } from '../../src/cli/commands/logs';
import { renderReport } from '../../src/origin/doctor';
import { REASONS } from '../../src/origin/doctor/reasons';
import { validConfig, writeJsonConfig } from '../helpers/config';
import { mockFixBucket, ownerGrant } from './fix-world';
import { SEED_ENV, seedWorld } from './scenarios';
import { DIST, TOOLS_ID, mockWorld, runWorld } from './world';

const DOC = path.join(__dirname, '..', '..', 'README.md');
const block = (name: string) => new RegExp(`(<!-- ${name}:start -->\\n\`\`\`text\\n)([\\s\\S]*?)(\`\`\`\\n<!-- ${name}:end -->)`);

function check(name: string, text: string): void {
  const doc = readFileSync(DOC, 'utf8');
  const re = block(name);
  expect(doc).toMatch(re);
  if (process.env.UPDATE_DOCS) writeFileSync(DOC, doc.replace(re, (_m, a: string, _b, c: string) => `${a}${text}${c}`));
  else expect(re.exec(doc)![2]).toBe(text);
}

test('"When you get a 403": the doctor\'s report on the seed incident', async () => {
  const report = await runWorld({ env: SEED_ENV, distributionId: DIST, clients: mockWorld(seedWorld()) });
  check('seed-report', `$ edgelock doctor --env prod\n${renderReport(report)}`);
});

test('"When you get a 403": the fix\'s dry run on the seed bucket', async () => {
  {
    const config = writeJsonConfig(validConfig({}, { prod: { accountId: '333333333333', region: 'eu-west-1', auth: false, originAccess: 'oai' } }, { only: true }));
    const { s3, s3control } = mockFixBucket({ mode: null, objects: { 'index.html': { ownerId: TOOLS_ID, grants: [ownerGrant(TOOLS_ID), { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] } } });
    let text = '';
    await fixOwnershipCommand({ config, env: 'prod', dryRun: true }, { s3, s3control }, (s) => (text += s));
    check('fix-plan', `$ edgelock fix ownership --env prod --dry-run\n${text}`);
  }
});

test('"When you get a 403": the seed\'s S3 access log lines', async () => {
  let text = '';
  const file = path.join(__dirname, '..', 'logs', 'fixtures', 'seed-s3.log');
  await logsCommand([file], { top: '10' }, (s) => (text += s));
  check('seed-logs', `$ edgelock logs seed-s3.log\n${text}`);
});

describe('docs/doctor.md lists the reasons of the doctor\'s table', () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'doctor.md'), 'utf8');
  const section = /#### Reasons, likeliest first\n([\s\S]*?)\n#{2,4} /.exec(doc)?.[1] ?? '';
  const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \| (\d) \| (\d+) \|/gm)].map((m) => ({ reason: m[1]!, check: Number(m[2]), likelihood: Number(m[3]) }));

  test('every reason of the table appears with its likelihood, and no other', () => {
    expect(rows.length).toBeGreaterThan(0);
    // Every row of the section was read (a malformed row is not silently skipped).
    expect(rows).toHaveLength(section.split('\n').filter((l) => l.startsWith('| `')).length);
    const documented = Object.fromEntries(rows.map((r) => [r.reason, r.likelihood]));
    const table = Object.fromEntries(Object.entries(REASONS).map(([reason, e]) => [reason, e.likelihood]));
    expect(documented).toEqual(table);
    expect(rows).toHaveLength(Object.keys(REASONS).length);
  });

  test('each reason names its check by the number the report gives it', async () => {
    const report = await runWorld({ env: SEED_ENV, distributionId: DIST, clients: mockWorld(seedWorld()) });
    const order = Object.fromEntries(report.results.map((r) => [r.id, r.order]));
    expect(Object.fromEntries(rows.map((r) => [r.reason, r.check]))).toEqual(Object.fromEntries(Object.entries(REASONS).map(([reason, e]) => [reason, order[e.check]])));
  });

  test('the list is likeliest first', () => {
    const likelihoods = rows.map((r) => r.likelihood);
    expect(likelihoods).toEqual([...likelihoods].sort((a, b) => b - a));
  });
});
