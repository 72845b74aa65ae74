/**
 * The README's "When you get a 403" shows real output of edgelock on the seed scenario. This test
 * keeps it real: it fails when the output changes and the README does not (UPDATE_DOCS=1 rewrites
 * the blocks).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixOwnershipCommand } from '../../src/cli/commands/fix';
import { logsCommand } from '../../src/cli/commands/logs';
import { renderReport, runDoctor } from '../../src/origin/doctor';
import { mockFixBucket, ownerGrant } from './fix-world';
import { SEED_ENV, seedWorld } from './scenarios';
import { DIST, TOOLS_ID, mockWorld } from './world';

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
  const report = await runDoctor({ env: SEED_ENV, distributionId: DIST, clients: mockWorld(seedWorld()) });
  check('seed-report', `$ edgelock doctor --env prod\n${renderReport(report)}`);
});

test('"When you get a 403": the fix\'s dry run on the seed bucket', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-docs-'));
  try {
    writeFileSync(path.join(dir, 'edgelock.config.json'), JSON.stringify({ project: 'acme-web', tools: { accountId: '111111111111' }, environments: { prod: { accountId: '333333333333', region: 'eu-west-1', auth: false, originAccess: 'oai' } } }));
    const { s3, s3control } = mockFixBucket({ mode: null, objects: { 'index.html': { ownerId: TOOLS_ID, grants: [ownerGrant(TOOLS_ID), { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] } } });
    let text = '';
    await fixOwnershipCommand({ config: path.join(dir, 'edgelock.config.json'), env: 'prod', dryRun: true }, { s3, s3control }, (s) => (text += s));
    check('fix-plan', `$ edgelock fix ownership --env prod --dry-run\n${text}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('"When you get a 403": the seed\'s S3 access log lines', async () => {
  let text = '';
  const file = path.join(__dirname, '..', 'logs', 'fixtures', 'seed-s3.log');
  await logsCommand([file], { top: '10' }, (s) => (text += s));
  check('seed-logs', `$ edgelock logs seed-s3.log\n${text}`);
});
