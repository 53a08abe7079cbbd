/**
 * The documents domain's part of each protocol version: from version 3, the documents contract
 * (attach, read, erase). Versions 1 and 2 have no documents.
 */
import type { DomainProtocol } from '../../../runtime/registry.js';
import { documents } from './documents.js';

export const DOCUMENTS_PROTOCOLS: ReadonlyMap<number, DomainProtocol> = new Map<
  number,
  DomainProtocol
>([[3, { contracts: [documents] }]]);
