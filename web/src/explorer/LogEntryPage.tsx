/** `/explorer/log/<index>`: goes to the transaction or the block whose leaf sits at that index. */
import './words';
import { Alert, Text } from '@mantine/core';
import { Navigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AidError } from '@sdk';
import { Page } from '../components/Page';
import { ErrorNotice, Loading } from '../components/Status';
import { useLogEntry } from './api';

const INDEX_RE = /^(0|[1-9][0-9]{0,14})$/;

function Resolve(props: { index: number }) {
  const { t } = useTranslation('explorer');
  const q = useLogEntry(props.index);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof AidError && q.error.code === 'NOT_FOUND')
      return (
        <Alert color="yellow" role="alert">
          {t('log.notFound', { index: props.index })}
        </Alert>
      );
    return <ErrorNotice error={q.error} retry={() => void q.refetch()} />;
  }
  const e = q.data;
  return (
    <Navigate
      replace
      to={e.kind === 'tx' ? `/explorer/tx/${e.id}` : `/explorer/blocks/${e.height}`}
    />
  );
}

export function LogEntryPage() {
  const { t } = useTranslation('explorer');
  const { t: tc } = useTranslation();
  const raw = useParams().index ?? '';
  if (!INDEX_RE.test(raw))
    return (
      <Page title={tc('status.notFound')}>
        <Text>{t('log.bad')}</Text>
      </Page>
    );
  const index = Number(raw);
  return (
    <Page title={t('log.title', { index })}>
      <Resolve key={index} index={index} />
    </Page>
  );
}
