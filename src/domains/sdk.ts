/**
 * The SDK's part of every domain, browser-safe: each domain's `sdk.ts` says what of its client,
 * wire types and words the SDK exports. A new domain adds one line here.
 */
export * from './membership/sdk.js';
export * from './aid/sdk.js';
export * from './documents/sdk.js';
