/**
 * The finance screens' reads of cases: a page of the organisation's cases in some states, and the
 * record of each case on it (its amount, its place on the waitlist, a freeze), cached under the
 * same keys as the case page so that opening a case costs nothing more.
 */
import { useQueries } from '@tanstack/react-query';
import { getCase, listCases, type CasePage, type CaseView } from '@sdk';
import { client } from '../../lib/api';
import { useStaffQuery } from '../api';
import { useStaffSession, withToken } from '../session';

/** A page of the cases the member may see in `states`, newest first. */
export function useCasePage(
  name: string,
  states: string,
  opts: { program?: string; cursor?: string | undefined; limit: number },
) {
  return useStaffQuery<CasePage>(
    [name, states, opts.program ?? '', opts.cursor, opts.limit],
    (tok) =>
      listCases(client, tok, {
        state: states,
        limit: opts.limit,
        ...(opts.program ? { program: opts.program } : {}),
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
      }),
  );
}

/** Each listed case's full view, by id (undefined while it loads or when it failed). */
export function useCaseViews(ids: readonly string[]): Map<string, CaseView> {
  const s = useStaffSession();
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['staff', s?.key ?? '', 'case', id],
      queryFn: () => withToken((tok) => getCase(client, tok, id)),
      enabled: Boolean(s?.viewer),
    })),
  });
  const out = new Map<string, CaseView>();
  results.forEach((r, i) => {
    if (r.data) out.set(ids[i]!, r.data);
  });
  return out;
}
