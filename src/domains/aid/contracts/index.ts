/**
 * The medical-aid domain's part of each protocol version: programs, attested facts, cases (with
 * the claims guard and the funds journal they write), donations and funds, and audit freezes.
 * Version 2: the hospital's verification carries the admission ID, reasons are published codes.
 * Version 3: one open case per patient per program, and recovery of a case onto a new phone.
 */
import type { DomainProtocol } from '../../../runtime/registry.js';
import { attest } from './attest.js';
import { audit, auditV2 } from './audit.js';
import { cases, casesV2 } from './cases.js';
import { casesUpgradeV3, casesV3 } from './cases-v3.js';
import { donations, donationsV2, funds, fundsV2 } from './donations.js';
import { programs } from './programs.js';

export const AID_PROTOCOLS: ReadonlyMap<number, DomainProtocol> = new Map<number, DomainProtocol>([
  [1, { contracts: [programs, attest, cases, donations, funds, audit] }],
  [2, { contracts: [programs, attest, casesV2, donationsV2, fundsV2, auditV2] }],
  [
    3,
    {
      contracts: [programs, attest, casesV3, donationsV2, fundsV2, auditV2],
      upgrade(state, scan, from) {
        if (from < 3) casesUpgradeV3(state, scan);
      },
    },
  ],
]);
