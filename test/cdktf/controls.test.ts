/**
 * The controls table (test/cdktf/controls.ts) on the example app and on a maximal config: every
 * control holds on both, and every control's check reports the violation it exists to catch.
 */
import { Testing } from 'cdktf';
import type { ResolvedConfig } from '../../src/config/schema';
import { CONTROLS, type Json, type SynthesizedApp } from './controls';
import { exampleConfig, removeBuilds, synthBuilt } from './example';

afterAll(removeBuilds);

/** Everything optional turned on. */
export function maximalConfig(): ResolvedConfig {
  return exampleConfig((r) => ({
    ...r,
    tools: { ...(r.tools as object), organizationId: 'o-a1b2c3d4e5' },
    backend: { bucket: 'acme-tfstate', region: 'eu-west-1' },
    stacks: {
      edgeLogRegions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
      logging: { retentionDays: 2555, logGroupRetentionDays: 3653, objectLock: true, encryption: 'sse-kms' },
      pipeline: { logKmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', approvalEmails: ['approver@example.com'] },
      encryption: 'sse-kms',
      behaviors: [{ pathPattern: '/assets/*' }],
      waf: { rateLimit: 2000, authRateLimit: 100, managedRuleGroups: ['AWSManagedRulesAnonymousIpList', 'AWSManagedRulesSQLiRuleSet'], logRetentionDays: 3653 },
    },
  }));
}

/** Each config synthesizes from a build of its own (synth refuses a build of another config). */
async function synthesize(config: ResolvedConfig): Promise<SynthesizedApp> {
  const { stacks } = await synthBuilt(config);
  const parse = (s: Parameters<typeof Testing.synth>[0]) => JSON.parse(Testing.synth(s, true)) as Json;
  return {
    config,
    tools: parse(stacks.tools),
    environments: Object.fromEntries(Object.entries(stacks.environments).map(([name, s]) => [name, parse(s)])),
  };
}

const apps: Record<string, () => SynthesizedApp> = {};
beforeAll(async () => {
  const [example, maximal] = await Promise.all([synthesize(exampleConfig()), synthesize(maximalConfig())]);
  apps.example = () => structuredClone(example);
  apps.maximal = () => structuredClone(maximal);
});

const rows = CONTROLS.flatMap((c) => (['example', 'maximal'] as const).map((config) => [c.id, config, c] as const));

it('has unique control IDs, each mapped to at least one safeguard', () => {
  expect(new Set(CONTROLS.map((c) => c.id)).size).toBe(CONTROLS.length);
  for (const c of CONTROLS) expect(c.safeguards.length).toBeGreaterThan(0);
});

it.each(rows)('%s holds on the %s config', (_id, config, control) => {
  expect(control.check(apps[config]!())).toEqual([]);
});

it.each(rows)('%s reports its violation on the %s config', (_id, config, control) => {
  const app = apps[config]!();
  control.violate(app);
  expect(control.check(app).length).toBeGreaterThan(0);
});
