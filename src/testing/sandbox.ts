/**
 * Evaluates a built bundle in its own V8 context (node:vm), as Lambda would load `index.js`, with
 * nothing of the test process leaking in: `process.env` is empty, `require` knows only Node's
 * built-in modules, and the bundle's globals are its own.
 *
 * Why a context rather than `new Function` over the host's globals: a parameter named `process`
 * hides the free identifier, but `globalThis.process.env` would still reach the test's
 * environment (AWS keys, CI tokens). In a fresh context there is no such global to reach. A vm
 * context is not a security boundary against hostile code; it isolates the bundle from the
 * test process's state, which is what a unit test of one's own config needs.
 */
import { builtinModules } from 'node:module';
import vm from 'node:vm';
import { EdgelockError } from '../errors';

export type BundleHandler = (event: unknown, context: object, callback: (err: unknown, value?: unknown) => void) => unknown;

const BUILTINS = new Set(builtinModules);

function edgeRequire(id: string): unknown {
  const name = String(id).replace(/^node:/, '');
  if (!BUILTINS.has(name)) throw new Error(`Cannot find module '${id}': a Lambda@Edge bundle must include its dependencies`);
  return require(`node:${name}`);
}

/** What a Lambda runtime offers a function's globals, minus the host's environment. */
function sandboxProcess(): object {
  return Object.freeze({
    env: Object.freeze(Object.create(null) as Record<string, string>),
    version: process.version,
    versions: process.versions,
    platform: process.platform,
    arch: process.arch,
    release: process.release,
    hrtime: process.hrtime,
    nextTick: process.nextTick,
    uptime: () => process.uptime(),
    memoryUsage: () => process.memoryUsage(),
    cwd: () => '/var/task',
    emitWarning: () => undefined,
  });
}

function sandboxGlobals(): Record<string, unknown> {
  return {
    process: sandboxProcess(),
    console,
    Buffer,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    AbortController,
    AbortSignal,
    atob,
    btoa,
    crypto: globalThis.crypto,
    structuredClone,
    queueMicrotask,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    setImmediate,
    clearImmediate,
    performance,
  };
}

/** Loads the bundle's `handler` export in a fresh context. */
export function loadInSandbox(code: string, file: string): BundleHandler {
  const context = vm.createContext(sandboxGlobals(), { name: `edgelock bundle ${file}` });
  const module_ = { exports: {} as { handler?: unknown } };
  try {
    const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, context, { filename: file }) as (
      ...args: unknown[]
    ) => void;
    wrapper.call(module_.exports, module_.exports, edgeRequire, module_, '/var/task/index.js', '/var/task');
  } catch (err) {
    throw new EdgelockError(`loading ${file} failed: ${(err as Error).message}; rebuild with "npx edgelock build"`, { code: 'BUILD_FAILED', cause: err });
  }
  if (typeof module_.exports.handler !== 'function') {
    throw new EdgelockError(`${file} does not export a function named "handler"; rebuild with "npx edgelock build"`, { code: 'BUILD_FAILED' });
  }
  return module_.exports.handler as BundleHandler;
}

