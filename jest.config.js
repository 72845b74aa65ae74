/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // src is a root too, so that coverage also counts the files no test loads.
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  testTimeout: 30000,
  // hyparquet (the sweep's Parquet reader) and its writer ship as ES modules only: transform them too.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
  // Two workers on the two-core machines CI runs on (jest would use one): many files spend much of
  // their time waiting on a child process or a socket.
  maxWorkers: 2,
  testSequencer: '<rootDir>/test/jest/sequencer.js',
  // One temporary folder per run, removed at the end (libraries that leave files behind included).
  globalSetup: '<rootDir>/test/jest/global-setup.js',
  globalTeardown: '<rootDir>/test/jest/global-teardown.js',
  // Coverage measures the edge handlers and the config, tested from source; the gate holds each
  // folder as a whole. `npm test` measures it with test/edge, test/config and test/testing alone
  // (scripts/test.mjs), and they must hold it; `jest --coverage` over everything holds it too.
  coverageProvider: 'v8',
  // src/edge/config.ts holds types only: nothing of it runs, so v8 would count its lines as missed.
  collectCoverageFrom: ['src/edge/**/*.ts', 'src/config/**/*.ts', '!src/edge/config.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: {
    './src/edge/': { lines: 95, statements: 95, branches: 95, functions: 95 },
    './src/config/': { lines: 95, statements: 95, branches: 93, functions: 95 },
  },
};
