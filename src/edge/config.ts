/**
 * What one environment's edge bundles know: derived from the resolved config at build time,
 * baked into the bundle as JSON and frozen when the bundle loads.
 */
import type { HeadersConfig } from '../config/headers';

export interface EdgeAuthConfig {
  readonly realm: string;
  readonly users: readonly { readonly user: string; readonly hash: string }[];
  readonly protect: readonly string[];
  readonly bypass: readonly string[];
  readonly cacheTtlSeconds: number;
  readonly cacheEntries: number;
}

export interface EdgeOriginConfig {
  /** Bucket the guard accepts. */
  readonly bucket: string;
  readonly region: string;
  /** Origin domain names the guard accepts: the bucket's REST endpoints, never a website endpoint. */
  readonly domains: readonly string[];
  readonly access: 'oac' | 'oai';
  readonly prettyUrls: boolean;
  readonly spaFallback?: string;
  readonly allowCookies: boolean;
  readonly allowedMethods: readonly string[];
  readonly maxUriLength: number;
}

export interface EdgeConfig {
  readonly project: string;
  readonly environment: string;
  /**
   * null when the environment has `auth: false` (no viewer-request function is built), and in the
   * origin bundles, which never carry credentials.
   */
  readonly auth: EdgeAuthConfig | null;
  readonly headers: HeadersConfig;
  readonly origin: EdgeOriginConfig;
}
