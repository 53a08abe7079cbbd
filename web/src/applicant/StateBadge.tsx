/** A case's state as a small label whose colours keep AA contrast (not by colour alone: words). */
import type { CaseState } from '@sdk';

type Tone = 'good' | 'bad' | 'wait' | 'done';

/** A tone for every state the ledger knows; an unknown one waits. */
const TONE: Record<string, Tone> = {
  submitted: 'wait',
  verified: 'wait',
  assessed: 'wait',
  appealed: 'wait',
  'info-requested': 'wait',
  waitlisted: 'wait',
  funded: 'good',
  disbursed: 'good',
  confirmed: 'good',
  closed: 'done',
  rejected: 'bad',
  withdrawn: 'done',
  cancelled: 'bad',
} satisfies Record<CaseState, Tone>;

export function StateBadge(props: { state: string; label: string }) {
  return (
    <span className="state-badge" data-tone={TONE[props.state] ?? 'wait'}>
      {props.label}
    </span>
  );
}
