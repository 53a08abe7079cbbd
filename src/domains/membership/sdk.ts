/** What the SDK exports of membership: wire types (browser-safe). */
export type { OrgView, Governance } from './types.js';
