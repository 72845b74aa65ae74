/**
 * The optional CloudFront response-headers policy, built from the same `headers` config as the
 * origin-response function.
 */
import type { CloudfrontResponseHeadersPolicyConfig } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import type { HeadersConfig } from '../src/config/headers';
import { EdgelockError } from '../src/errors';

export function responseHeadersPolicyConfig(name: string, headers: HeadersConfig): CloudfrontResponseHeadersPolicyConfig {
  void headers;
  throw new EdgelockError(`stacks.responseHeadersPolicy (${name}) is not available in this build yet; set it to false`);
}
