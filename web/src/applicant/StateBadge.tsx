/** A case's state as a small label whose colours keep AA contrast (not by colour alone: words). */
const TONE: Record<string, 'good' | 'bad' | 'wait' | 'done'> = {
  submitted: 'wait',
  verified: 'wait',
  assessed: 'wait',
  appealed: 'wait',
  waitlisted: 'wait',
  funded: 'good',
  disbursed: 'good',
  confirmed: 'good',
  closed: 'done',
  rejected: 'bad',
  withdrawn: 'done',
  cancelled: 'bad',
};

export function StateBadge(props: { state: string; label: string }) {
  return (
    <span className="state-badge" data-tone={TONE[props.state] ?? 'wait'}>
      {props.label}
    </span>
  );
}
