/**
 * How the consortium is governed, in plain words: its members, the votes a decision needs, who
 * signs the checkpoints that make the ledger checkable and how many signatures count, and every
 * governance proposal with its votes.
 */
import './words';
import { useMemo } from 'react';
import { Anchor, Badge, Card, Code, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Governance, OrgView, Policy } from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { When } from '../components/When';
import { LOCALE_TAGS } from '../i18n/locale';
import { useOrgs, usePolicy } from '../lib/api';
import { useFormats, useLocale } from '../lib/locale-context';
import { useGovernance } from './api';
import { Loaded } from './Loaded';
import { OrgName, OrgType, useOrgName } from './names';
import { ScrollTable } from './ScrollTable';
import './portal.css';

function Members(props: { orgs: OrgView[] }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const orgs = [...props.orgs].sort(
    (a, b) => a.since - b.since || fmt.name(a.names).localeCompare(fmt.name(b.names)),
  );
  return (
    <ScrollTable minWidth={560} label={t('governance.members')}>
      <Table striped aria-label={t('governance.members')} data-testid="members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('governance.name')}</Table.Th>
            <Table.Th scope="col">{t('governance.type')}</Table.Th>
            <Table.Th scope="col">{t('governance.since')}</Table.Th>
            <Table.Th scope="col">{t('governance.node')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orgs.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Th scope="row" fw={500}>
                {fmt.name(o.names, o.id)}
              </Table.Th>
              <Table.Td>
                <OrgType type={o.type} />
              </Table.Td>
              <Table.Td>
                <When ms={o.since} />
              </Table.Td>
              <Table.Td>{o.nodeKey ? t('governance.yes') : t('governance.no')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function Rule(props: { term: string; value: string; testId: string }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>
        <Text fw={700} size="lg" component="span" data-testid={props.testId}>
          {props.value}
        </Text>
      </dd>
    </div>
  );
}

function Decisions(props: { g: Governance }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  return (
    <Card withBorder padding="lg">
      <dl className="facts">
        <Rule
          term={t('governance.votesNeeded')}
          value={t('governance.votesValue', {
            quorum: fmt.number(props.g.governanceQuorum),
            orgs: fmt.number(props.g.orgs),
          })}
          testId="governance-quorum"
        />
      </dl>
      <Text>{t('governance.votesNote')}</Text>
    </Card>
  );
}

function Checkpoints(props: { g: Governance; policy: Policy }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  return (
    <Stack gap="sm">
      <Text>{t('governance.checkpointsIntro')}</Text>
      <Card withBorder padding="lg">
        <dl className="facts">
          <Rule
            term={t('governance.needed')}
            value={t('governance.neededValue', {
              quorum: fmt.number(props.policy.quorum),
              nodes: fmt.number(props.g.nodes),
            })}
            testId="checkpoint-quorum"
          />
        </dl>
      </Card>
      <Title order={3} size="h4">
        {t('governance.signers')}
      </Title>
      <ScrollTable minWidth={480} label={t('governance.signers')}>
        <Table striped aria-label={t('governance.signers')} data-testid="signers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('governance.name')}</Table.Th>
              <Table.Th scope="col">{t('governance.key')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.policy.signers.map((s) => (
              <Table.Tr key={s.vkey}>
                <Table.Td>
                  <OrgName id={s.org} />
                </Table.Td>
                <Table.Td>
                  <Code className="mono">{s.vkey}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Text>
        {t('governance.verifyNote')}{' '}
        <Anchor component={Link} to="/verify">
          {t('governance.verifyLink')}
        </Anchor>
      </Text>
    </Stack>
  );
}

/**
 * What a proposal asks for, in the reader's language (also the administrator's workspace uses
 * it), and a list of organisations in words.
 */
export function useProposalWords(): {
  what(p: Governance['proposals'][number]): string;
  names(orgs: string[]): string;
} {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const { locale } = useLocale();
  const orgName = useOrgName();
  const list = useMemo(
    () => new Intl.ListFormat(LOCALE_TAGS[locale], { type: 'conjunction' }),
    [locale],
  );
  const what = (p: Governance['proposals'][number]): string => {
    switch (p.kind) {
      case 'admitOrg':
        return t('governance.admit', { org: p.org ? fmt.name(p.org.names, p.org.id) : '' });
      case 'setGovernanceQuorum':
      case 'setCheckpointQuorum':
        return t(
          p.kind === 'setGovernanceQuorum'
            ? 'governance.setGovernance'
            : 'governance.setCheckpoint',
          { quorum: fmt.number(p.quorum ?? 0) },
        );
      case 'scheduleProtocol':
        return t('governance.schedule', {
          version: fmt.number(p.protocol?.version ?? 0),
          height: fmt.number(p.protocol?.fromHeight ?? 0),
        });
      case 'cancelProtocol':
        return t('governance.cancelSchedule', {
          version: fmt.number(p.protocol?.version ?? 0),
        });
      case 'grantOversight':
        return t('governance.grant', {
          org: orgName(p.oversight?.org ?? '') ?? p.oversight?.org,
          roles: list.format(
            (p.oversight?.roles ?? []).map((r) =>
              t(r === 'regulator' ? 'governance.roleRegulator' : 'governance.roleAuditor'),
            ),
          ),
        });
      case 'revokeOversight':
        return t('governance.revokeGrant', {
          org: orgName(p.oversight?.org ?? '') ?? p.oversight?.org,
        });
      case 'liftFreeze':
        return t('governance.liftFreeze', { tx: (p.freeze ?? '').slice(0, 12) });
    }
  };
  const names = (orgs: string[]) => list.format(orgs.map((o) => orgName(o) ?? o));
  return { what, names };
}

function Proposals(props: { g: Governance }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const { what, names } = useProposalWords();
  if (props.g.proposals.length === 0) return <Text>{t('governance.noProposals')}</Text>;
  return (
    <ScrollTable minWidth={640} label={t('governance.proposals')}>
      <Table striped aria-label={t('governance.proposals')} data-testid="proposals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('governance.proposal')}</Table.Th>
            <Table.Th scope="col">{t('governance.outcome')}</Table.Th>
            <Table.Th scope="col">{t('governance.tally')}</Table.Th>
            <Table.Th scope="col">{t('governance.proposed')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.g.proposals.map((p) => {
            const yes = p.votes.filter((v) => v.approve).map((v) => v.org);
            const no = p.votes.filter((v) => !v.approve).map((v) => v.org);
            return (
              <Table.Tr key={p.id}>
                <Table.Td>{what(p)}</Table.Td>
                {/* Never squeezed: on a phone the badge's word was cut to "ADOP…". */}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge
                    variant="light"
                    color={p.status === 'adopted' ? 'brand' : 'gray'}
                    styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
                  >
                    {t(`governance.${p.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {t('governance.votes', {
                      yes: fmt.number(yes.length),
                      no: fmt.number(no.length),
                    })}
                  </Text>
                  {yes.length > 0 && (
                    <Text size="sm">{t('governance.for', { orgs: names(yes) })}</Text>
                  )}
                  {no.length > 0 && (
                    <Text size="sm">{t('governance.against', { orgs: names(no) })}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <When ms={p.since} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

export function GovernancePage() {
  const { t } = useTranslation('portal');
  const orgs = useOrgs();
  const governance = useGovernance();
  const policy = usePolicy();
  return (
    <Page title={t('governance.title')}>
      <Text size="lg">{t('governance.intro')}</Text>
      <Section id="members" title={t('governance.members')}>
        <Loaded query={orgs}>{(o) => <Members orgs={o.orgs} />}</Loaded>
      </Section>
      <SimpleGrid cols={{ base: 1 }} spacing="xl">
        <Section id="decisions" title={t('governance.decisions')}>
          <Loaded query={governance}>{(g) => <Decisions g={g} />}</Loaded>
        </Section>
        <Section id="checkpoints" title={t('governance.checkpoints')}>
          <Loaded query={governance}>
            {(g) => <Loaded query={policy}>{(p) => <Checkpoints g={g} policy={p} />}</Loaded>}
          </Loaded>
        </Section>
        <Section id="proposals" title={t('governance.proposals')}>
          <Loaded query={governance}>{(g) => <Proposals g={g} />}</Loaded>
        </Section>
      </SimpleGrid>
    </Page>
  );
}
