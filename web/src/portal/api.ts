/**
 * The public reads the portal pages make, through the SDK and the shared query cache. None needs
 * a sign-in and none carries personal data; names come in all three languages and are picked on
 * the page, so the cache does not depend on the reader's language.
 */
import { useQuery } from '@tanstack/react-query';
import {
  donationTrace,
  fundFlows,
  governance,
  program,
  programs,
  publicPrograms,
  recentActivity,
} from '@sdk';
import { client } from '../lib/api';

/** Each program's money as the public summary gives it (received net of returns). */
export function usePublicPrograms() {
  return useQuery({ queryKey: ['public-programs'], queryFn: () => publicPrograms(client) });
}

/** Each program's names, owner, status and case counts. */
export function usePrograms() {
  return useQuery({ queryKey: ['programs'], queryFn: () => programs(client) });
}

/** One program with its current rules and versions. */
export function useProgram(id: string) {
  return useQuery({ queryKey: ['program', id], queryFn: () => program(client, id) });
}

export function useFlows() {
  return useQuery({ queryKey: ['flows'], queryFn: () => fundFlows(client) });
}

/** The latest donations and payments to hospitals. */
export function useActivity(limit: number) {
  return useQuery({
    queryKey: ['activity', limit],
    queryFn: () => recentActivity(client, limit),
  });
}

export function useTrace(id: string) {
  return useQuery({ queryKey: ['trace', id], queryFn: () => donationTrace(client, id) });
}

export function useGovernance() {
  return useQuery({
    queryKey: ['governance'],
    queryFn: () => governance(client),
    staleTime: 60_000,
  });
}
