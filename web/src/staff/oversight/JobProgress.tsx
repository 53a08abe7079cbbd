/** A ledger job's progress: a bar with its share done, the leaves read of how many, and a stop. */
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormats } from '../../lib/locale-context';

export function JobProgress(props: {
  done: number;
  total: number;
  label: string;
  onCancel(): void;
  testId: string;
}) {
  const { t } = useTranslation('oversight');
  const fmt = useFormats();
  const pct = props.total > 0 ? Math.floor((props.done / props.total) * 100) : 0;
  return (
    <Stack gap={6} data-testid={props.testId}>
      <Progress.Root size="lg">
        <Progress.Section
          value={pct}
          aria-label={props.label}
          data-testid={`${props.testId}-bar`}
        />
      </Progress.Root>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" aria-live="polite" data-testid={`${props.testId}-text`}>
          {props.total > 0
            ? t('job.progress', {
                done: fmt.number(props.done),
                total: fmt.number(props.total),
                pct,
              })
            : t('job.starting')}
        </Text>
        <Button
          variant="default"
          size="xs"
          onClick={props.onCancel}
          data-testid={`${props.testId}-cancel`}
        >
          {t('job.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
