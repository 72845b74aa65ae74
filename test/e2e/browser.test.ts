/**
 * A real browser (Debian's chromium, driven by playwright-core) loads the example site through
 * the local edge over https with the demo credentials: no CSP violation, no console error, and
 * the security headers arrive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { RunningLocalEdge } from '../../src/dev';
import { tempDir } from '../helpers/config';
import { buildExample, SECURITY_HEADERS, startExample } from './helpers';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let edge: RunningLocalEdge;
let context: BrowserContext;
// Not a self-removing tempDir: chromium writes to its profile until the context closes below.
const profile = mkdtempSync(path.join(os.tmpdir(), 'edgelock-chromium-'));
const problems: string[] = [];

beforeAll(async () => {
  const built = await buildExample();
  edge = await startExample(built, { https: { certDir: tempDir('edgelock-e2e-tls-'), redirectPort: 0 } });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    httpCredentials: { username: 'demo', password: 'edgelock-demo' },
    ignoreHTTPSErrors: true,
  });
  // Runs before the page's own scripts (and outside its CSP): reports every violation as a console error.
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI));",
  });
  context.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
  });
  context.on('weberror', (err) => problems.push(`page error: ${err.error().message}`));
  context.on('requestfailed', (req) => {
    // The first navigation is answered 401 and replayed with the credentials: Chromium reports
    // the unanswered original as aborted. Any other failure is a problem.
    if (req.isNavigationRequest() && req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await edge?.close();
  rmSync(profile, { recursive: true, force: true });
});

test.each([
  ['/', 'Acme preview'],
  ['/docs/', 'Docs'],
])('%s loads with its CSS, script and image, under the CSP, with the security headers', async (target, heading) => {
  const page = await context.newPage();
  const statuses: string[] = [];
  page.on('response', (r) => statuses.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  const response = await page.goto(`${edge.url}${target}`, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  for (const name of SECURITY_HEADERS) expect({ name, present: typeof headers[name] === 'string' }).toEqual({ name, present: true });
  expect(await page.locator('h1').textContent()).toBe(heading);
  // The stylesheet applied (no inline styles anywhere: this comes from /css/site.css).
  expect(await page.evaluate("getComputedStyle(document.querySelector('header.bar')).display")).toBe('flex');
  // The image decoded.
  expect(await page.evaluate("document.querySelector('header img').naturalWidth")).toBe(48);
  if (target === '/') {
    await page.locator('#status.ok').waitFor({ timeout: 10_000 });
    expect(await page.locator('#headers tbody tr').count()).toBeGreaterThan(5);
  }
  await page.waitForLoadState('networkidle');
  expect(statuses.filter((s) => !/^(200|401) /.test(s))).toEqual([]);
  await page.close();
  expect(problems.splice(0)).toEqual([]);
}, 60_000);

test('a missing page shows the site\'s own 404 page (the custom error response), styled, with status 404', async () => {
  const page = await context.newPage();
  const response = await page.goto(`${edge.url}/no-such-page.html`, { waitUntil: 'load' });
  expect(response?.status()).toBe(404);
  expect(await page.title()).toBe('Not found · Acme preview');
  expect(await page.content()).not.toContain('AccessDenied');
  for (const name of SECURITY_HEADERS) expect({ name, present: typeof response!.headers()[name] === 'string' }).toEqual({ name, present: true });
  // Its stylesheet loaded from the site under the same CSP.
  expect(await page.evaluate("getComputedStyle(document.querySelector('header.bar')).display")).toBe('flex');
  await page.waitForLoadState('networkidle');
  await page.close();
  // The 404 of the navigation itself is reported by Chromium as a console error; nothing else may be.
  expect(problems.splice(0).filter((p) => !/status of 404/.test(p))).toEqual([]);
}, 60_000);
