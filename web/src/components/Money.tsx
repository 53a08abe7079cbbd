/** An amount of minor units in the reader's locale, e.g. "CN¥1,234.56". */
import { useFormats } from '../lib/locale-context';

export function Money(props: { amount: string | bigint; currency: string }) {
  const fmt = useFormats();
  return <span className="tabular">{fmt.money(props.amount, props.currency)}</span>;
}
