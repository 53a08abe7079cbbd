/**
 * Attested facts: a member of an organisation states facts about a patient from its own records
 * (a civil-affairs or medical-security bureau: income, low-income or disability status; a
 * hospital: age). The facts and the identity number stay in the private part; the state keeps,
 * per patient key and fact, which transaction attested it and which organisation did.
 */
import { z } from 'zod';
import type { OrgType } from '../../../chain/genesis.js';
import { ValidNationalIdSchema } from '../application.js';
import { parseNationalId } from '../../../core/national-id.js';
import {
  checkNotFrozen,
  FACTS,
  type NationalIdSchema,
  PersonFactsSchema,
  signerOrg,
  type FactName,
} from './aid-common.js';
import {
  action,
  refuse,
  type Contract,
  type Secrets,
  type StateView,
} from '../../../runtime/contract.js';
import { sha256 } from '../../../core/hash.js';
import { toHex, utf8 } from '../../../core/bytes.js';

export { ValidNationalIdSchema } from '../application.js';

export const AttestFactsSchema = z.strictObject({
  patient: ValidNationalIdSchema,
  facts: PersonFactsSchema.refine((f) => Object.keys(f).length > 0, 'at least one fact'),
});

export interface Attestation {
  tx: string;
  org: string;
  orgType: OrgType;
  time: number;
}

export interface PatientAttestations {
  /** The latest attestation of each fact. */
  facts: Partial<Record<FactName, Attestation>>;
  /** The commitment of each attestation transaction still in force. */
  commitments: Record<string, string>;
}

export const attestKeys = {
  patient: (patient: string) => `attest/p/${patient}`,
};

/**
 * The key the state knows a patient by: a hash of the pseudonym, so a state dump does not even
 * hold the pseudonym that a member could look up.
 */
export function patientKey(secrets: Secrets, id: z.infer<typeof NationalIdSchema>): string {
  const n = parseNationalId(id.kind, id.id);
  return toHex(sha256(utf8(`aidledger/patient\n${secrets.pseudonym(n.kind, n.value)}`)));
}

export function attestationsOf(state: StateView, patient: string): PatientAttestations {
  return (
    state.get<PatientAttestations>(attestKeys.patient(patient)) ?? { facts: {}, commitments: {} }
  );
}

export const attest: Contract = {
  name: 'attest',
  actions: {
    facts: action({
      schema: z.strictObject({}),
      roles: ['clerk', 'social-worker', 'reviewer', 'program-manager', 'admin'],
      private: 'required',
      facts: AttestFactsSchema,
      apply(ctx, _p) {
        const org = signerOrg(ctx, ['government', 'hospital']);
        checkNotFrozen(ctx.state, { orgs: [org.id] });
        const f = ctx.parseFacts(AttestFactsSchema);
        const names = Object.keys(f.facts) as FactName[];
        for (const n of names) {
          const by: readonly OrgType[] = FACTS[n].attestedBy;
          if (!by.includes(org.type))
            refuse('WRONG_ORG', `${n} is attested by a ${by.join(' or ')} organisation`);
        }
        const pk = patientKey(ctx.secrets, f.patient);
        const cur = attestationsOf(ctx.state, pk);
        const facts = { ...cur.facts };
        for (const n of names)
          facts[n] = { tx: ctx.txId, org: org.id, orgType: org.type, time: ctx.time };
        const inForce = new Set(Object.values(facts).map((a) => a.tx));
        const commitments: Record<string, string> = {};
        for (const [tx, c] of Object.entries({
          ...cur.commitments,
          [ctx.txId]: ctx.commitment ?? '',
        }))
          if (inForce.has(tx)) commitments[tx] = c;
        ctx.state.put(attestKeys.patient(pk), { facts, commitments } satisfies PatientAttestations);
      },
    }),
  },
};
