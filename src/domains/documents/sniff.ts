/**
 * A document's format from its first bytes, never from its name or a declared type: a PNG named
 * `scan.pdf` is a PNG, and a text file is no document at all. Browser-safe.
 */
import type { DocumentFormat } from './types.js';

/** Signatures: PDF 1.7 (ISO 32000-1 §7.5.2) `%PDF-`; PNG (RFC 2083 §3.1); JPEG SOI + a marker. */
const SIGNATURES: readonly { format: DocumentFormat; magic: readonly number[] }[] = [
  { format: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { format: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'jpeg', magic: [0xff, 0xd8, 0xff] },
];

/** How many first bytes `sniffFormat` needs. */
export const SNIFF_BYTES = 8;

/** The format the first bytes say, or undefined for anything else. */
export function sniffFormat(head: Uint8Array): DocumentFormat | undefined {
  for (const s of SIGNATURES)
    if (head.length >= s.magic.length && s.magic.every((b, i) => head[i] === b)) return s.format;
  return undefined;
}
