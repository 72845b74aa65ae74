/**
 * The synth-time check that no behaviour of an auth environment skips Basic auth: every cache
 * behaviour (the default and each ordered one) must associate a viewer-request function.
 * It reads the distribution's final Terraform attributes, so escape-hatch overrides are caught too.
 */

type Json = Record<string, unknown>;

/** A Terraform block: one object, or a list of them. */
function asList(value: unknown): Json[] {
  const items: unknown[] = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((v): v is Json => typeof v === 'object' && v !== null);
}

/** Names each behaviour ("default" or its path pattern) with the event types associated with it. */
export function behaviourAssociations(distribution: Json): { behaviour: string; eventTypes: string[] }[] {
  const eventTypes = (b: Json) => asList(b.lambda_function_association).map((a) => String(a.event_type));
  const out = asList(distribution.default_cache_behavior).map((b) => ({ behaviour: 'default (*)', eventTypes: eventTypes(b) }));
  for (const b of asList(distribution.ordered_cache_behavior)) out.push({ behaviour: String(b.path_pattern), eventTypes: eventTypes(b) });
  return out;
}

/** Error messages, one per behaviour without a viewer-request association (empty when auth is off). */
export function checkAuthAssociations(distribution: Json, environment: string, auth: boolean): string[] {
  if (!auth) return [];
  return behaviourAssociations(distribution)
    .filter((b) => !b.eventTypes.includes('viewer-request'))
    .map(
      (b) =>
        `environment "${environment}" has auth: true but the cache behaviour "${b.behaviour}" has no viewer-request (Basic auth) association, ` +
        'so it would serve the site without credentials; associate viewer-request with it, or list public paths in auth.bypass',
    );
}
