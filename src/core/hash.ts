/**
 * SHA-256 for code that runs in browsers and on the server alike. The server may pass a faster
 * implementation with the same signature (see runtime/node-hash.ts) wherever a hash function is a parameter.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export type HashFn = (data: Uint8Array) => Uint8Array;

export const sha256: HashFn = (data) => nobleSha256(data);
