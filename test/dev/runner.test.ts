/**
 * Bundles run isolated, with no environment, only built-in modules, and the trigger's timeout.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BundleRunner } from '../../src/dev/runner';
import { tempDir } from '../helpers/config';

const dir = tempDir('edgelock-runner-');
const runners: BundleRunner[] = [];

function runner(code: string, timeoutMs = 2_000, initTimeoutMs?: number): BundleRunner {
  const file = path.join(dir, `b${runners.length}.js`);
  writeFileSync(file, code);
  const r = new BundleRunner({ name: 'viewer-request', bundle: file, timeoutMs, memoryMb: 128, ...(initTimeoutMs !== undefined ? { initTimeoutMs } : {}) });
  runners.push(r);
  return r;
}

afterAll(() => Promise.all(runners.map((r) => r.close())));

describe('BundleRunner', () => {
  test('returns the handler result as JSON (undefined fields dropped, as Lambda serialises)', async () => {
    const r = runner('exports.handler = async (e) => ({ got: e.n, drop: undefined, d: new Date(0) });');
    expect(await r.invoke({ n: 1 })).toMatchObject({ ok: true, result: { got: 1, d: '1970-01-01T00:00:00.000Z' } });
  });

  test('supports callback-style handlers', async () => {
    const r = runner('exports.handler = (e, ctx, cb) => setTimeout(() => cb(null, { fn: ctx.functionName, mem: ctx.memoryLimitInMB }), 1);');
    expect(await r.invoke({})).toMatchObject({ ok: true, result: { fn: 'edgelock-dev-viewer-request', mem: '128' } });
  });

  test('the bundle sees an empty environment', async () => {
    process.env.EDGELOCK_SECRET_FOR_TEST = 'leak';
    const r = runner('exports.handler = async () => ({ keys: Object.keys(process.env) });');
    expect(await r.invoke({})).toMatchObject({ ok: true, result: { keys: [] } });
    delete process.env.EDGELOCK_SECRET_FOR_TEST;
  });

  test('the bundle cannot share globals with the emulator', async () => {
    (globalThis as Record<string, unknown>).edgelockShared = 'host';
    const r = runner('exports.handler = async () => ({ shared: typeof globalThis.edgelockShared });');
    expect(await r.invoke({})).toMatchObject({ ok: true, result: { shared: 'undefined' } });
  });

  test('a throw is reported with its message', async () => {
    const r = runner('exports.handler = async () => { throw new TypeError("boom"); };');
    expect(await r.invoke({})).toMatchObject({ ok: false, failure: 'threw', message: 'TypeError: boom' });
  });

  test('a bundle that needs a package it did not bundle fails (Lambda@Edge has no node_modules)', async () => {
    const r = runner('const x = require("bcryptjs"); exports.handler = async () => ({});');
    const out = await r.invoke({});
    expect(out).toMatchObject({ ok: false, failure: 'crashed' });
    expect(out.ok === false && out.message).toMatch(/must include its dependencies/);
  });

  test('a handler that never answers times out; the next call gets a fresh instance', async () => {
    const r = runner('let calls = 0; exports.handler = async (e) => { calls++; if (e.spin) for (;;) {} return { calls }; };', 300);
    const first = await r.invoke({ spin: true });
    expect(first).toMatchObject({ ok: false, failure: 'timeout', message: 'timed out after 300 ms' });
    expect(await r.invoke({ spin: false })).toMatchObject({ ok: true, result: { calls: 1 } });
  });

  test('the timeout measures the handler, not the loading of the bundle', async () => {
    // Loading takes 600 ms of CPU, twice the 300 ms timeout; the handler itself answers at once.
    const slowLoad = 'const t = Date.now(); while (Date.now() - t < 600) {}\n';
    const r = runner(`${slowLoad}exports.handler = async (e) => { if (e.spin) for (;;) {} return { loaded: true }; };`, 300);
    const first = await r.invoke({});
    expect(first).toMatchObject({ ok: true, result: { loaded: true } });
    expect(first.ms).toBeLessThan(300);
    // The same timeout still stops a handler that runs past it, and only after the load.
    expect(await r.invoke({ spin: true })).toMatchObject({ ok: false, failure: 'timeout', message: 'timed out after 300 ms' });
    // Calls made while the fresh instance loads wait for it and are timed from the hand-over.
    const both = await Promise.all([r.invoke({}), r.invoke({})]);
    expect(both).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
  });

  test('a bundle that never finishes loading fails after the init limit', async () => {
    const r = runner('for (;;) {}\nexports.handler = async () => ({});', 300, 500);
    expect(await r.invoke({})).toMatchObject({ ok: false, failure: 'timeout', message: 'the bundle did not load within 500 ms' });
  });

  test('a CPU-bound call holds up only its own instance', async () => {
    const r = runner('exports.handler = async (e) => { if (e.busy) { const t = Date.now(); while (Date.now() - t < 400) {} } return { busy: e.busy }; };');
    await r.invoke({ busy: false }); // warm the first instance
    // Two calls at once warm the second as well, so the quick call below meets a warm instance
    // rather than a cold start (which on a busy machine can take longer than the busy call).
    await Promise.all([r.invoke({ busy: false }), r.invoke({ busy: false })]);
    const order: string[] = [];
    const busy = r.invoke({ busy: true }).then(() => order.push('busy'));
    const quick = r.invoke({ busy: false }).then(() => order.push('quick'));
    await Promise.all([busy, quick]);
    expect(order).toEqual(['quick', 'busy']);
  });

  test('a result that cannot be serialised is a failure', async () => {
    const r = runner('exports.handler = async () => { const a = {}; a.self = a; return a; };');
    expect(await r.invoke({})).toMatchObject({ ok: false, failure: 'threw' });
  });

  test('a missing bundle is a clear error', () => {
    expect(() => new BundleRunner({ name: 'origin-request', bundle: path.join(dir, 'nope.js'), timeoutMs: 1000, memoryMb: 128 })).toThrow(/run "edgelock build" first/);
  });
});
