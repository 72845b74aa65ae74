/**
 * The synth-time check: in an environment with auth, every cache behaviour must associate the
 * viewer-request (Basic auth) function. A broken config or an escape-hatch override fails synth
 * with a message naming the behaviour.
 */
import { rmSync } from 'node:fs';
import { Testing } from 'cdktf';
import { behaviourAssociations, checkAuthAssociations } from '../../cdktf/association-check';
import { buildExample, exampleConfig, removeBuilds, synthBuilt, synthStacks } from './example';

let outDir: string;
beforeAll(async () => {
  outDir = await buildExample();
});
afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await removeBuilds();
});

const withBehaviours = (behaviors: unknown[]) => exampleConfig((r) => ({ ...r, stacks: { behaviors } }));

describe('checkAuthAssociations (pure)', () => {
  const assoc = (...types: string[]) => types.map((t) => ({ event_type: t, lambda_arn: 'arn' }));
  const dist = {
    default_cache_behavior: { lambda_function_association: assoc('viewer-request', 'origin-request') },
    ordered_cache_behavior: [
      { path_pattern: '/assets/*', lambda_function_association: assoc('viewer-request') },
      { path_pattern: '/public/*', lambda_function_association: assoc('origin-response') },
      { path_pattern: '/bare/*' },
    ],
  };

  it('lists every behaviour with its event types', () => {
    expect(behaviourAssociations(dist)).toEqual([
      { behaviour: 'default (*)', eventTypes: ['viewer-request', 'origin-request'] },
      { behaviour: '/assets/*', eventTypes: ['viewer-request'] },
      { behaviour: '/public/*', eventTypes: ['origin-response'] },
      { behaviour: '/bare/*', eventTypes: [] },
    ]);
  });

  it('names each behaviour without viewer-request when auth is on', () => {
    const errors = checkAuthAssociations(dist, 'dev', true);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/environment "dev" has auth: true but the cache behaviour "\/public\/\*" has no viewer-request/);
    expect(errors[1]).toMatch(/"\/bare\/\*"/);
  });

  it('accepts anything when auth is off', () => {
    expect(checkAuthAssociations(dist, 'prod', false)).toEqual([]);
  });

  it('fails a default behaviour without associations', () => {
    expect(checkAuthAssociations({ default_cache_behavior: {} }, 'dev', true)[0]).toMatch(/"default \(\*\)"/);
  });
});

describe('at synth', () => {
  it('passes extra behaviours that keep every handler', async () => {
    const { stacks } = await synthBuilt(withBehaviours([{ pathPattern: '/assets/*' }]));
    const json = JSON.parse(Testing.synth(stacks.environments.dev!, true));
    const dist = Object.values(json.resource.aws_cloudfront_distribution)[0] as Record<string, unknown>;
    expect(behaviourAssociations(dist)).toEqual([
      { behaviour: 'default (*)', eventTypes: ['viewer-request', 'origin-request', 'origin-response'] },
      { behaviour: '/assets/*', eventTypes: ['viewer-request', 'origin-request', 'origin-response'] },
    ]);
  });

  it('fails a config whose behaviour in an auth environment leaves out viewer-request, naming it', async () => {
    const { stacks } = await synthBuilt(withBehaviours([{ pathPattern: '/public/*', handlers: ['origin-request', 'origin-response'] }]));
    expect(() => Testing.synth(stacks.environments.dev!, true)).toThrow(
      /environment "dev" has auth: true but the cache behaviour "\/public\/\*" has no viewer-request \(Basic auth\) association.*auth\.bypass/,
    );
  });

  it('allows the same behaviour in an environment without auth', async () => {
    const { stacks } = await synthBuilt(withBehaviours([{ pathPattern: '/public/*', handlers: ['origin-request', 'origin-response'] }]));
    expect(() => Testing.synth(stacks.environments.prod!, true)).not.toThrow();
  });

  it('catches a behaviour added through an escape-hatch override', () => {
    const { stacks } = synthStacks(exampleConfig(), outDir);
    stacks.environments.dev!.distribution.distribution.addOverride('ordered_cache_behavior', [
      { path_pattern: '/raw/*', target_origin_id: 'site-bucket', viewer_protocol_policy: 'redirect-to-https', allowed_methods: ['GET', 'HEAD'], cached_methods: ['GET', 'HEAD'] },
    ]);
    expect(() => Testing.synth(stacks.environments.dev!, true)).toThrow(/cache behaviour "\/raw\/\*" has no viewer-request/);
  });
});
