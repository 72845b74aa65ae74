import type { EdgelockConfigInput } from './schema';

/**
 * Types an edgelock config file. Returns its argument unchanged; validation happens when the
 * config is loaded (`edgelock build`, `cdktf synth`, `edgelock deploy`, ...).
 *
 * @example
 * export default defineConfig({ project: 'acme-web', tools: { accountId: '111111111111' }, environments: { ... } });
 */
export function defineConfig(config: EdgelockConfigInput): EdgelockConfigInput {
  return config;
}
