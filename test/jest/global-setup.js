/**
 * One temporary folder for the whole run: TMPDIR points into it, so every temporary file a test
 * or a library makes (cdktf's Testing.synth makes one per call and never removes it) lands there,
 * and global-teardown.js removes it. Test workers start after this runs and inherit TMPDIR.
 */
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-jest-'));
  process.env.EDGELOCK_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
