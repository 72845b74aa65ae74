/** Settings of `edgelock dev` the CLI needs before it loads the local edge (which loads TLS and S3 code). */

/** @default the port `edgelock dev` listens on */
export const DEFAULT_DEV_PORT = 8787;
