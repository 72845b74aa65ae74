/**
 * TLS for credentials: an environment with Basic auth must not run on the default
 * *.cloudfront.net certificate (security policy fixed at TLSv1) unless the config opts out.
 */
import type { ResolvedConfig, ResolvedEnvironment } from '../src/config/schema';

/**
 * An environment with Basic auth on the default *.cloudfront.net certificate: its viewer security
 * policy is fixed at TLSv1, so credentials could cross TLS 1.0 or 1.1.
 */
export function usesDefaultCertificateWithAuth(env: ResolvedEnvironment): boolean {
  return env.auth && !(env.domain && env.certificateArn);
}

/** True when synth must refuse the environment (no opt-out). */
export function needsOwnCertificate(config: ResolvedConfig, env: ResolvedEnvironment): boolean {
  return usesDefaultCertificateWithAuth(env) && !config.stacks.allowDefaultCertificate;
}

export function defaultCertificateMessage(environment: string): string {
  return (
    `environment "${environment}" has auth: true but no domain and certificateArn, so it would use the default *.cloudfront.net certificate, ` +
    'whose security policy is fixed at TLSv1: Basic credentials could cross TLS 1.0 or 1.1. ' +
    'Set domain and certificateArn (an ACM certificate in us-east-1; the distribution then requires TLSv1.2_2021 or newer), ' +
    'or accept the risk with stacks.allowDefaultCertificate: true (synth then warns)'
  );
}
