/**
 * The optional CloudFront response-headers policy, built by the edge package from the same
 * `headers` config as the origin-response function, so the two never disagree.
 */
import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import type { HeadersConfig } from '../src/config/headers';
import { responseHeadersPolicyLimits, toResponseHeadersPolicy } from '../src/edge/security-headers';

/** Creates the policy; what a policy cannot express (the function still does) becomes a synth warning. */
export function securityHeadersPolicy(scope: Construct, id: string, name: string, headers: HeadersConfig): CloudfrontResponseHeadersPolicy {
  const policy = new CloudfrontResponseHeadersPolicy(scope, id, { name, ...toResponseHeadersPolicy(headers) });
  for (const limit of responseHeadersPolicyLimits(headers)) Annotations.of(policy).addWarning(`response-headers policy ${name}: ${limit}`);
  return policy;
}
