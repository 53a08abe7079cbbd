/** A query's data once it is there; meanwhile the loading state, and on failure a retry. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorNotice, Loading } from '../components/Status';

export function Loaded<T>(props: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const q = props.query;
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} retry={() => void q.refetch()} />;
  return <>{props.children(q.data)}</>;
}
