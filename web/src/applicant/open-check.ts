/**
 * Whether a patient already has an open case in a program that this account may see
 * (`POST /v1/cases/open-check`): the form says so before anything is sent.
 */
import { AidError, type AidClient } from '@sdk';

// Same origin: the node serves the app beside its API.

export interface OpenCaseAnswer {
  open: { id: string; reference: string } | null;
}

export async function openCaseCheck(
  _client: AidClient,
  token: string,
  body: { program: string; patient: { kind: string; id: string } },
): Promise<OpenCaseAnswer> {
  const res = await fetch('/v1/cases/open-check', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new AidError('UNAVAILABLE', `open-check: HTTP ${res.status}`);
  return (await res.json()) as OpenCaseAnswer;
}
