/**
 * @csstools/css-tokenizer declares its types only in its `exports` map, which this project's
 * `moduleResolution: node10` does not read: point the package at them.
 */
declare module '@csstools/css-tokenizer' {
  export * from '@csstools/css-tokenizer/dist/index';
}
