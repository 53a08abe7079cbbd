/** SHA-256 through node:crypto for the server's hot paths; same results as core/hash.ts. */
import { hash } from 'node:crypto';
import type { HashFn } from '../core/hash.js';

export const fastSha256: HashFn = (data) => hash('sha256', data, 'buffer') as unknown as Uint8Array;
