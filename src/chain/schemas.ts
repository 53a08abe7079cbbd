/**
 * Wire schemas shared by the node, the SDK, the CLI and the web app. Values that must not be mixed
 * up are branded; only these parsers produce them.
 */
import { z } from 'zod';

export const hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 32 bytes of lowercase hex');
export const hex64 = z.string().regex(/^[0-9a-f]{128}$/, 'must be 64 bytes of lowercase hex');

export const TxIdSchema = hex32.brand<'TxId'>();
export type TxId = z.infer<typeof TxIdSchema>;

export const OrgIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and "-", 2 to 63 characters')
  .brand<'OrgId'>();
export type OrgId = z.infer<typeof OrgIdSchema>;

export const ChainIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.\-/]{0,126}[a-z0-9]$/, 'lowercase, digits, ".", "-", "/"');

/** Names in the three languages the product speaks. */
export const NamesSchema = z.strictObject({
  'zh-Hant': z.string().min(1).max(200),
  'zh-Hans': z.string().min(1).max(200),
  en: z.string().min(1).max(200),
});
export type Names = z.infer<typeof NamesSchema>;

/** A JSON object (the shape of payloads and private facts). */
export const JsonObjectSchema = z.record(z.string(), z.unknown());
