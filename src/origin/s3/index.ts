/** The S3 vocabulary the origin side shares: Object Ownership, ACL groups, and reading SDK errors. */
export * from './acl';
export * from './errors';
export * from './oai';
export * from './ownership';
