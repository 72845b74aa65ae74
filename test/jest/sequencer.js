/**
 * Runs the longest test files first, so that on a two-core machine none of them starts last and
 * leaves the other worker idle. jest's own order (by the durations it cached, or by file size in a
 * fresh clone) follows for the rest. A file missing from the list only runs later, never not at all.
 */
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Files that take longest on a quiet two-core machine, longest first: by the CPU each takes run
 * alone (`/usr/bin/time npx jest FILE`), for the covered run's and the other run's files alike.
 */
const LONGEST_FIRST = [
  'test/package/package.test.ts',
  'test/cdktf/synth-cli.test.ts',
  'test/cdktf/stacks.test.ts',
  'test/deploy/cli.test.ts',
  'test/e2e/browser.test.ts',
  'test/cli/init.test.ts',
  'test/deploy/provenance.test.ts',
  'test/build/freshness.test.ts',
  'test/dev/runner.test.ts',
  'test/e2e/local-edge.test.ts',
  'test/cdktf/association.test.ts',
  'test/deploy/rollback.test.ts',
  'test/edge/properties.test.ts',
  'test/edge/alias-properties.test.ts',
  'test/edge/viewer-request.test.ts',
  'test/edge/observatory.test.ts',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = LONGEST_FIRST.findIndex((f) => t.path.endsWith(f));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    const byJest = super.sort(tests);
    const order = new Map(byJest.map((t, i) => [t, i]));
    return [...byJest].sort((a, b) => rank(a) - rank(b) || order.get(a) - order.get(b));
  }
}

module.exports = LongestFirst;
