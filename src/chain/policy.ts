/**
 * The verifier policy: which node keys sign checkpoints for which organisation, and how many
 * organisations must have signed one before a verifier trusts it (1-of-1 for an embedded node).
 */
import { z } from 'zod';
import { AidError } from '../core/errors.js';
import {
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifiedSigners,
  type CheckpointBody,
  type NoteVerifier,
} from '../core/note.js';

export const PolicySchema = z
  .strictObject({
    origin: z.string().min(1).max(128),
    quorum: z.number().int().min(1).max(1000),
    signers: z
      .array(z.strictObject({ org: z.string().min(1).max(63), vkey: z.string().min(1).max(300) }))
      .min(1)
      .max(1000),
  })
  .meta({ id: 'Policy' });
export type Policy = z.infer<typeof PolicySchema>;

export interface VerifiedCheckpoint extends CheckpointBody {
  /** The organisations whose valid signature the checkpoint carries, sorted. */
  orgs: string[];
  note: string;
}

/** Parses a policy document; @throws AidError MALFORMED. */
export function parsePolicy(value: unknown): Policy {
  const r = PolicySchema.safeParse(value);
  if (!r.success)
    throw new AidError('MALFORMED', `malformed policy: ${r.error.issues[0]?.message}`);
  for (const s of r.data.signers) parseVerifierKey(s.vkey);
  return r.data;
}

/**
 * Checks a signed checkpoint note against a policy: origin, body, and valid signatures from at
 * least `quorum` distinct organisations. @throws AidError BAD_CHECKPOINT or POLICY_NOT_MET.
 */
export function verifyCheckpoint(noteText: string, policy: Policy): VerifiedCheckpoint {
  let body: CheckpointBody;
  let note;
  try {
    note = parseNote(noteText);
    body = parseCheckpoint(note.text);
  } catch (cause) {
    throw new AidError('BAD_CHECKPOINT', `checkpoint is malformed: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (body.origin !== policy.origin) {
    throw new AidError(
      'BAD_CHECKPOINT',
      `checkpoint origin "${body.origin}" is not "${policy.origin}"`,
    );
  }
  const verifiers: (NoteVerifier & { org: string })[] = policy.signers.map((s) => ({
    ...parseVerifierKey(s.vkey),
    org: s.org,
  }));
  const names = verifiedSigners(note, verifiers);
  const orgs = [...new Set(verifiers.filter((v) => names.has(v.name)).map((v) => v.org))].sort();
  if (orgs.length < policy.quorum) {
    throw new AidError(
      'POLICY_NOT_MET',
      `checkpoint is signed by ${orgs.length} of the ${policy.quorum} organisations the policy requires`,
      { details: { signed: orgs, quorum: policy.quorum } },
    );
  }
  return { ...body, orgs, note: noteText };
}
