/**
 * A program's money (or the sum of several): budget, received, committed, paid and available,
 * and a bar of how the money received is used. Each figure carries its exact minor units in
 * `data-amount`, so a test or a script can hold the page to the API.
 */
import './words';
import { Box, Group, Progress, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublicProgramSummary } from '@sdk';
import { Money } from '../components/Money';
import { useFormats } from '../lib/locale-context';

/** The money of a program's public summary, or of several added up. */
export type Figures = Omit<PublicProgramSummary, 'id' | 'name'>;

const FIELDS = ['budget', 'received', 'committed', 'paid', 'available'] as const;

/** `part` of `whole` in basis points, rounded down; 0 when there is no whole. */
export function basisPoints(part: string | bigint, whole: string | bigint): number {
  const w = BigInt(whole);
  // Rounded half up, not truncated: 19.596% reads 19.60%, not 19.59%.
  return w <= 0n ? 0 : Number((BigInt(part) * 20_000n + w) / (2n * w));
}

/** Columns of the figures: five in a row where the page is wide, two in a card. */
export type FigureColumns = { base: number; xs?: number; md?: number };

export function FigureList(props: { figures: Figures; cols?: FigureColumns }) {
  const { t } = useTranslation();
  const f = props.figures;
  return (
    <SimpleGrid
      component="dl"
      cols={props.cols ?? { base: 2, xs: 3, md: 5 }}
      spacing="sm"
      verticalSpacing="xs"
      m={0}
    >
      {FIELDS.map((k) => (
        <div key={k}>
          <Text component="dt" size="sm" c="dimmed">
            {t(`money.${k}`)}
          </Text>
          <Text
            component="dd"
            m={0}
            fw={600}
            fz={{ base: 'sm', sm: 'md' }}
            data-field={k}
            data-amount={f[k]}
          >
            <Money amount={f[k]} currency={f.currency} />
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

const PARTS = [
  { key: 'paid', color: 'brand.8' },
  { key: 'committed', color: 'brand.4' },
  { key: 'available', color: 'gray.4' },
] as const;

/** How the money received is split between paid, committed and available. */
export function UsageBar(props: { figures: Figures }) {
  const { t } = useTranslation('portal');
  const { t: tc } = useTranslation();
  const fmt = useFormats();
  const f = props.figures;
  const whole = BigInt(f.paid) + BigInt(f.committed) + BigInt(f.available);
  const parts = PARTS.map((p) => ({
    ...p,
    label: t('card.part', {
      part: tc(`money.${p.key}`),
      percent: fmt.percent(basisPoints(f[p.key], whole)),
    }),
    pct: basisPoints(f[p.key], whole) / 100,
  }));
  return (
    <Box>
      <Progress.Root size="lg" aria-hidden="true">
        {parts.map((p) => (
          <Progress.Section key={p.key} value={p.pct} color={p.color} />
        ))}
      </Progress.Root>
      <Group gap="md" mt={6} component="ul" className="legend" aria-label={t('card.usage')}>
        {parts.map((p) => (
          <Group key={p.key} gap={6} component="li" wrap="nowrap">
            <Box className="swatch" bg={p.color} aria-hidden="true" />
            <Text size="sm">{p.label}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
