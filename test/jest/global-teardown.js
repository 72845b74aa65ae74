/** Removes the run's temporary folder (see global-setup.js). */
const { rmSync } = require('node:fs');

module.exports = function teardown() {
  const dir = process.env.EDGELOCK_JEST_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
