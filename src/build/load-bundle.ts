/** Evaluates a built bundle's text as a fresh CommonJS module, exactly the file Lambda would load. */
export function loadBundleHandler<H extends (...args: never[]) => unknown>(js: string): H {
  const mod = { exports: {} as { handler?: H } };
  new Function('module', 'exports', 'require', js)(mod, mod.exports, require);
  if (typeof mod.exports.handler !== 'function') throw new Error('the bundle exports no handler');
  return mod.exports.handler;
}
