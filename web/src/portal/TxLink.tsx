/**
 * A transaction id, shortened, linking to the explorer. Its accessible name is the text shown
 * (WCAG 2.5.3); the whole id is in the link's address and its title.
 */
import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { shortHash } from '../components/Hash';

export function TxLink(props: { tx: string }) {
  return (
    <Anchor component={Link} to={`/explorer/tx/${props.tx}`} className="mono" title={props.tx}>
      {shortHash(props.tx)}
    </Anchor>
  );
}
