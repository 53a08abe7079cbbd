/**
 * A disbursed batch as files for the organisation's bank: `POST /v1/payments/csv` and
 * `POST /v1/payments/pain001`, read as bytes (a CSV's byte order mark must survive, which a text
 * decoding would drop) and saved through the browser's download.
 */
import { AidError, type ErrorCode } from '@sdk';
import { client } from '../../lib/api';
import { withToken } from '../session';

export type BankFormat = 'csv' | 'pain001';

/** The node keeps no usable `banking.json`: no bank file can be made there. */
export class NoBankingError extends Error {}

/** The bytes of the bank file for these disbursed cases. @throws AidError with the node's code. */
export function fetchBankFile(format: BankFormat, cases: readonly string[]): Promise<Blob> {
  return withToken(async (token) => {
    let res: Response;
    try {
      res = await fetch(`${client.base}/v1/payments/${format}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ cases }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (cause) {
      throw new AidError('UNAVAILABLE', 'the node cannot be reached', { cause });
    }
    if (!res.ok) {
      let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } =
        {};
      try {
        body = (await res.json()) as typeof body;
      } catch {
        // not a JSON error body
      }
      // A 503 from this route says the node has no usable banking.json, not that it is down.
      if (res.status === 503) throw new NoBankingError(body.error?.message ?? 'no banking.json');
      throw new AidError(
        (body.error?.code ?? 'UNAVAILABLE') as ErrorCode,
        body.error?.message ?? `HTTP ${res.status}`,
        body.error?.details ? { details: body.error.details } : undefined,
      );
    }
    return res.blob();
  });
}

/** The file's name: the format, the batch's first case reference and its size. */
export function bankFileName(format: BankFormat, firstReference: string, n: number): string {
  const base = `payments-${firstReference}-${n}`;
  return format === 'csv' ? `${base}.csv` : `${base}.pain.001.001.09.xml`;
}

/** Saves bytes as a file through the browser's download. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
