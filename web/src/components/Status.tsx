/** Loading, empty and error states, worded in the reader's language. */
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AidError } from '@sdk';

export function Loading() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader aria-hidden="true" />
        <Text>{t('status.loading')}</Text>
      </Stack>
    </Center>
  );
}

export function Empty(props: { text?: string }) {
  const { t } = useTranslation();
  return <Text c="dimmed">{props.text ?? t('status.empty')}</Text>;
}

const KNOWN = [
  'UNAVAILABLE',
  'NOT_FOUND',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'MALFORMED',
  'STALE_TIME',
  'RATE_LIMITED',
] as const;

/** The words for an error: by its code, never the raw server text alone. */
export function useErrorText(): (e: unknown) => string {
  const { t } = useTranslation();
  return (e) => {
    const code = e instanceof AidError ? e.code : 'UNAVAILABLE';
    return (KNOWN as readonly string[]).includes(code)
      ? t(`errors.${code as (typeof KNOWN)[number]}`)
      : t('errors.other', { code });
  };
}

export function ErrorNotice(props: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  return (
    <Alert color="red" title={t('errors.title')} role="alert">
      <Stack gap="xs">
        <Text>{text(props.error)}</Text>
        {props.retry && (
          <div>
            <Button variant="light" color="red" onClick={props.retry}>
              {t('actions.retry')}
            </Button>
          </div>
        )}
      </Stack>
    </Alert>
  );
}
