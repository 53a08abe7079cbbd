/** A page: its heading (also the document title) and its content. */
import { useEffect, type ReactNode } from 'react';
import { Group, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Page(props: { title: string; actions?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${props.title} · ${t('appName')}`;
  }, [props.title, t]);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>{props.title}</Title>
        {props.actions}
      </Group>
      {props.children}
    </Stack>
  );
}
