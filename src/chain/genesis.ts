/**
 * The genesis document: the founding organisations, the governance quorum, the checkpoint quorum
 * and the protocol schedule. Its hash is the `prev` of block 0, so the log commits to it.
 */
import { z } from 'zod';
import { toHex, utf8 } from '../core/bytes.js';
import { canonicalJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { ChainIdSchema, hex32, NamesSchema, OrgIdSchema } from './schemas.js';

export const ORG_TYPES = [
  'government',
  'hospital',
  'charity',
  'auditor',
  'supplier',
  'pharmacy',
] as const;
export const OrgTypeSchema = z.enum(ORG_TYPES);
export type OrgType = z.infer<typeof OrgTypeSchema>;

export const GenesisOrgSchema = z.strictObject({
  id: OrgIdSchema,
  names: NamesSchema,
  type: OrgTypeSchema,
  /** The key of the organisation's first administrator, `<org>/admin`. */
  rootKey: hex32,
  /** The key the organisation's node signs checkpoints with, if it runs one. */
  nodeKey: hex32.optional(),
});
export type GenesisOrg = z.infer<typeof GenesisOrgSchema>;

export const ProtocolStepSchema = z.strictObject({
  version: z.number().int().min(1),
  fromHeight: z.number().int().min(0),
});

export type ProtocolStep = z.infer<typeof ProtocolStepSchema>;

export const GenesisSchema = z
  .strictObject({
    chain: ChainIdSchema,
    time: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    orgs: z.array(GenesisOrgSchema).min(1).max(1000),
    /** How many organisations' votes admit a new organisation or change a rule. */
    governanceQuorum: z.number().int().min(1),
    /** How many organisations must sign a checkpoint for it to be final. */
    checkpointQuorum: z.number().int().min(1),
    protocol: z.array(ProtocolStepSchema).min(1),
  })
  .superRefine((g, ctx) => {
    const ids = new Set(g.orgs.map((o) => o.id));
    if (ids.size !== g.orgs.length) ctx.addIssue({ code: 'custom', message: 'duplicate org id' });
    if (g.governanceQuorum > g.orgs.length) {
      ctx.addIssue({ code: 'custom', message: 'governance quorum exceeds the number of orgs' });
    }
    const nodes = g.orgs.filter((o) => o.nodeKey !== undefined).length;
    if (g.checkpointQuorum > nodes) {
      ctx.addIssue({
        code: 'custom',
        message: 'checkpoint quorum exceeds the number of node keys',
      });
    }
    if (g.protocol[0]?.fromHeight !== 0) {
      ctx.addIssue({ code: 'custom', message: 'the protocol schedule starts at height 0' });
    }
    for (let i = 1; i < g.protocol.length; i++) {
      const a = g.protocol[i - 1]!;
      const b = g.protocol[i]!;
      if (b.fromHeight <= a.fromHeight || b.version <= a.version) {
        ctx.addIssue({ code: 'custom', message: 'protocol steps rise in height and version' });
      }
    }
  })
  .meta({ id: 'Genesis' });
export type Genesis = z.infer<typeof GenesisSchema>;

/** Parses a genesis document; @throws AidError MALFORMED naming the first problem. */
export function parseGenesis(value: unknown): Genesis {
  const r = GenesisSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new AidError('MALFORMED', `genesis: ${i?.path.join('.')} ${i?.message}`);
  }
  return r.data;
}

/** SHA-256 of the genesis document's RFC 8785 bytes: block 0's `prev`. */
export function genesisHash(g: Genesis): string {
  return toHex(sha256(utf8(canonicalJson(g))));
}

/**
 * The protocol version that executes the block at `height`: the genesis schedule, then the steps
 * the consortium adopted by vote since (each later in height and newer in version than the last).
 */
export function protocolAt(
  g: Genesis,
  height: number,
  adopted: readonly ProtocolStep[] = [],
): number {
  let v = g.protocol[0]!.version;
  // Never backwards: a step adopted by vote and one the genesis planned may interleave.
  for (const step of [...g.protocol, ...adopted])
    if (step.fromHeight <= height && step.version > v) v = step.version;
  return v;
}
