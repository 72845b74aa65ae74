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
  // Coverage (`jest --coverage`, as `npm test` runs it) measures the edge handlers and the config,
  // tested from source; the gate holds each folder as a whole.
  coverageProvider: 'v8',
  // src/edge/config.ts holds types only: nothing of it runs, so v8 would count its lines as missed.
  collectCoverageFrom: ['src/edge/**/*.ts', 'src/config/**/*.ts', '!src/edge/config.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: {
    './src/edge/': { lines: 95, statements: 95, branches: 95, functions: 95 },
    './src/config/': { lines: 95, statements: 95, branches: 93, functions: 95 },
  },
};
