/** A program on the portal: its name, status, money and how the money received is used. */
import './words';
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ProgramView, PublicProgramSummary } from '@sdk';
import { useFormats } from '../lib/locale-context';
import { useOrgName } from './names';
import { basisPoints, FigureList, UsageBar } from './ProgramFigures';
import './portal.css';

/** The badges of a program: open or closed, and frozen when the regulator froze it. */
export function ProgramStatus(props: { program: ProgramView }) {
  const { t } = useTranslation('portal');
  const p = props.program;
  return (
    <Group gap="xs">
      <Badge color={p.open ? 'brand' : 'gray'} variant="light">
        {p.open ? t('card.open') : t('card.closed')}
      </Badge>
      {p.frozen && (
        <Badge color="red" variant="light">
          {t('card.frozen')}
        </Badge>
      )}
    </Group>
  );
}

export function ProgramCard(props: { program: ProgramView; money: PublicProgramSummary }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const orgName = useOrgName();
  const p = props.program;
  const m = props.money;
  const applications = Object.values(p.cases).reduce((a, n) => a + n, 0);
  return (
    <Card withBorder padding="lg" component="article" data-testid={`program-${p.id}`}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          <Anchor component={Link} to={`/programs/${p.id}`}>
            {fmt.name(p.names, p.name)}
          </Anchor>
        </Title>
        <ProgramStatus program={p} />
        <Text size="sm">{t('card.runBy', { org: orgName(p.owner) ?? p.owner })}</Text>
        <FigureList figures={m} cols={{ base: 2 }} />
        <Text size="sm">
          {t('card.ofBudget', { percent: fmt.percent(basisPoints(m.received, m.budget)) })}
        </Text>
        <UsageBar figures={m} />
        <Text size="sm">{t('card.applications', { count: fmt.number(applications) })}</Text>
      </Stack>
    </Card>
  );
}
