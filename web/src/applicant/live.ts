/**
 * The applicant's pages follow their cases through the events stream (lib/live.ts): a block that
 * changes one of the family's cases, or records a read of one of its documents, refreshes what the
 * page shows, with no reload and no polling. A closed account (its case moved to a new phone) is
 * read once more, so the page says so.
 */
import { useLiveUpdates } from '../lib/live';
import { queryClient } from '../lib/api';
import { useLocale } from '../lib/locale-context';
import { liveToken, type Unlocked } from './session';

export function useApplicantLive(unlocked: Unlocked): void {
  const { lang } = useLocale();
  const queryKey = ['me', unlocked.key];
  useLiveUpdates(true, {
    token: (renew) => liveToken(lang, renew),
    queryKey,
    revoked: () => void queryClient.invalidateQueries({ queryKey }),
  });
}
