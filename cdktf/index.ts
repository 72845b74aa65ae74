/**
 * `edgelock/cdktf`: the CDK for Terraform stacks and constructs. Needs the peer packages cdktf,
 * @cdktf/provider-aws and constructs; importing this without them fails with
 * STACKS_PEERS_MISSING and the install command, before anything loads them.
 */
import './peers-check';

export { createStacks, checkStackSettings, type EdgelockStacks, type StacksBuildOptions } from './app';
export { BuildArtifacts, type VerifiedZip } from './artifacts';
export { PropsError } from './props';
export { CDKTF_PEERS, missingPeers } from './peers';
export { LockedBucket, type LockedBucketProps, type BucketEncryption } from './locked-bucket';
export { EdgeFunctions, EDGE_RUNTIME, type EdgeFunctionsProps } from './edge-functions';
export { ProtectedDistribution, allowedMethodSet, CACHING_OPTIMIZED, type ProtectedDistributionProps, type BehaviourSpec } from './protected-distribution';
export { DeployAccess, siteParameterName, type DeployAccessProps } from './deploy-access';
export { Pipeline, buildspec, deployFunctionRoleName, type PipelineProps, type PipelineEnvironment, type DeployUserParameters } from './pipeline';
export { LogAnalytics, S3_TABLE, CLOUDFRONT_TABLE, type LogAnalyticsProps } from './log-analytics';
export { EdgeWebAcl, BASELINE_MANAGED_RULE_GROUPS, webAclRules, type EdgeWebAclProps } from './web-acl';
export { EnvironmentStack } from './environment-stack';
export { ToolsStack } from './tools-stack';
