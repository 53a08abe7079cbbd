/**
 * The kinds of document a program asks for, and the name it gives each in the reader's language
 * (a document on the ledger carries only its kind's short name, such as `income-certificate`).
 */
import { useQuery } from '@tanstack/react-query';
import { program } from '@sdk';
import { client } from './api';
import { useLocale } from './locale-context';

export function useDocumentKinds(programId: string) {
  const { lang } = useLocale();
  const p = useQuery({
    queryKey: ['program', programId, lang],
    queryFn: () => program(client, programId, lang),
    staleTime: 60_000,
  });
  const kinds = p.data?.definition.documents ?? [];
  /** The kind's name in the reader's language; its short name when the program has none. */
  const label = (kind: string) => kinds.find((k) => k.name === kind)?.labels[lang] ?? kind;
  return { kinds, label };
}
