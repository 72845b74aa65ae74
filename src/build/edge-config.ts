import type { ResolvedConfig, ResolvedEnvironment } from '../config/schema';
import path from 'node:path';
import { originPathFor } from '../config/origin-path';
import type { EdgeConfig } from '../edge/config';

/** The slice of the config that one environment's edge bundles are built with. */
export function toEdgeConfig(config: ResolvedConfig, env: ResolvedEnvironment): EdgeConfig {
  const auth = env.auth && config.auth
    ? {
        realm: config.auth.realm,
        users: config.auth.users.map(({ user, hash }) => ({ user, hash })),
        protect: config.auth.protect,
        bypass: config.auth.bypass,
        cacheTtlSeconds: config.auth.cacheTtlSeconds,
        cacheEntries: config.auth.cacheEntries,
        maxVerificationsPerSecond: config.auth.maxVerificationsPerSecond,
      }
    : null;
  return {
    project: config.project,
    environment: env.name,
    auth,
    headers: config.headers,
    origin: {
      bucket: env.bucket,
      region: env.region,
      domains: [env.bucketDomain, `${env.bucket}.s3.amazonaws.com`],
      access: env.originAccess,
      path: originPathFor(config.deploy.prefix),
      prettyUrls: config.origin.prettyUrls,
      ...(config.origin.spaFallback ? { spaFallback: config.origin.spaFallback } : {}),
      allowCookies: config.origin.allowCookies,
      allowedMethods: config.origin.allowedMethods,
      maxUriLength: config.origin.maxUriLength,
    },
  };
}

/**
 * The config baked into the pipeline's deploy function: everything but the auth users (it needs no
 * password hashes), with no absolute paths (the same config builds the same bytes anywhere).
 */
export function toDeployConfig(config: ResolvedConfig): ResolvedConfig {
  return { ...config, auth: undefined, configPath: path.basename(config.configPath), baseDir: '.' };
}
