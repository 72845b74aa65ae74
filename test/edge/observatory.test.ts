/**
 * The default security headers, as the built origin-response bundle sends them, graded by Mozilla
 * HTTP Observatory's own analyzer and grader (test/edge/observatory-grade.mjs; no network scan).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildBundles, invoke, recordedEvent, type Bundles } from './bundles';

type Headers = Record<string, { key?: string; value: string }[]>;

function grade(headers: Headers): { grade: string; score: number; tests: Record<string, { result: string; pass: boolean }> } {
  const flat = Object.fromEntries(Object.values(headers).map((list) => [list[0]!.key!, list.map((h) => h.value).join(', ')]));
  const r = spawnSync(process.execPath, [path.join(__dirname, 'observatory-grade.mjs'), JSON.stringify({ headers: flat })], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

let bundles: Bundles;
beforeAll(async () => {
  bundles = await buildBundles();
});
afterAll(() => bundles.cleanup());

describe('Mozilla HTTP Observatory grade', () => {
  it('S3\'s own response headers grade far below A', () => {
    const result = grade(recordedEvent('origin-response-200').Records[0].cf.response.headers);
    expect(result.grade).not.toMatch(/^A/);
    expect(result.tests['content-security-policy']!.pass).toBe(false);
  });

  it('the same response after the origin-response function grades A+ with no failed test', async () => {
    const r = await invoke<{ headers: Headers }>(bundles.handler('dev', 'origin-response'), recordedEvent('origin-response-200'));
    const result = grade(r.headers);
    expect(result.grade).toBe('A+');
    expect(Object.entries(result.tests).filter(([, t]) => !t.pass)).toEqual([]);
  });
});
