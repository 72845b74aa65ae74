/**
 * The CloudFront contract: what Lambda@Edge hands a function, what it accepts back, and the limits
 * of each trigger. A leaf of the layers: it imports nothing of edgelock's but the error base, and
 * the config, the build, the local edge, the doctor and the tests import it.
 */
export * from './types';
export * from './rules';
export * from './events';
export * from './validate';
export * from './origin-headers';
