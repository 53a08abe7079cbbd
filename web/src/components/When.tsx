/** A ledger time (milliseconds) in the reader's locale, with the exact instant on hover. */
import { useFormats } from '../lib/locale-context';

export function When(props: { ms: number; withTime?: boolean }) {
  const fmt = useFormats();
  const iso = new Date(props.ms).toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {props.withTime ? fmt.dateTime(props.ms) : fmt.date(props.ms)}
    </time>
  );
}
