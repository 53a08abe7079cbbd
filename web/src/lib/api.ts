/**
 * The node this page came from, through the SDK (same origin: the node serves the app beside its
 * API), and the query cache every page reads through.
 */
import { QueryClient, useQuery } from '@tanstack/react-query';
import { AidClient, AidError, type OrgView } from '@sdk';

export const client = new AidClient(window.location.origin, { timeoutMs: 30_000 });

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // A 4xx will not change on a retry; a dropped connection may.
      retry: (n, e) => n < 2 && !(e instanceof AidError && e.code !== 'UNAVAILABLE'),
    },
  },
});

/** The node's chain id, height and log size (refreshed every 15 s). */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: () => client.health(),
    refetchInterval: 15_000,
  });
}

/** The verifier policy the node publishes: member keys and the quorum of organisations. */
export function usePolicy() {
  return useQuery({ queryKey: ['policy'], queryFn: () => client.policy(), staleTime: 60_000 });
}

/** The consortium's organisations (public: names, type, node key). */
export function useOrgs() {
  return useQuery({
    queryKey: ['orgs'],
    queryFn: () => client.get<{ orgs: OrgView[] }>('/v1/orgs'),
    staleTime: 60_000,
  });
}
