/**
 * Governance in the administrator's workspace: the consortium's proposals as the public
 * governance page words them (portal/GovernancePage.tsx), a vote for or against each open one
 * the organisation has not voted on (`membership.vote`), and a new proposal (`membership.propose`)
 * of the kinds an administrator brings day to day: a quorum, an oversight grant or its end, the
 * lifting of a freeze.
 */
import '../portal/words';
import { useState, type FormEvent } from 'react';
import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Governance } from '@sdk';
import { Section } from '../components/Section';
import { ErrorNotice, Loading } from '../components/Status';
import { When } from '../components/When';
import { useOrgs } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { useGovernance } from '../portal/api';
import { useProposalWords } from '../portal/GovernancePage';
import { ScrollTable } from '../portal/ScrollTable';
import { useSignedAction } from './api';
import { Refusal, useRefusal } from './parts';
import { useStaffSession } from './session';

const KINDS = [
  'setGovernanceQuorum',
  'setCheckpointQuorum',
  'grantOversight',
  'revokeOversight',
  'liftFreeze',
] as const;
type Kind = (typeof KINDS)[number];
const PROPOSAL_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const TX = /^[0-9a-f]{64}$/;

export function GovernanceSection() {
  const { t } = useTranslation('staff');
  const g = useGovernance();
  return (
    <Section id="governance-title" title={t('gov.title')}>
      {g.isPending ? (
        <Loading />
      ) : g.isError ? (
        <ErrorNotice error={g.error} retry={() => void g.refetch()} />
      ) : (
        <Stack gap="md">
          <Proposals g={g.data} />
          <ProposeForm />
        </Stack>
      )}
    </Section>
  );
}

function Proposals(props: { g: Governance }) {
  const { t } = useTranslation('staff');
  const tp = useTranslation('portal').t;
  const { what, names } = useProposalWords();
  const org = useStaffSession()?.viewer?.org ?? '';
  const proposals = [...props.g.proposals].sort(
    (a, b) => Number(b.status === 'open') - Number(a.status === 'open'),
  );
  if (proposals.length === 0) return <Text>{tp('governance.noProposals')}</Text>;
  return (
    <ScrollTable minWidth={680} label={t('gov.proposals')}>
      <Table striped data-testid="admin-proposals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{tp('governance.proposal')}</Table.Th>
            <Table.Th scope="col">{tp('governance.outcome')}</Table.Th>
            <Table.Th scope="col">{tp('governance.tally')}</Table.Th>
            <Table.Th scope="col">{tp('governance.proposed')}</Table.Th>
            <Table.Th scope="col">{t('gov.yourVote')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {proposals.map((p) => {
            const yes = p.votes.filter((v) => v.approve).map((v) => v.org);
            const no = p.votes.filter((v) => !v.approve).map((v) => v.org);
            const mine = p.votes.find((v) => v.org === org);
            return (
              <Table.Tr key={p.id} data-testid={`proposal-${p.id}`}>
                <Table.Td>
                  {what(p)} <span className="mono">({p.id})</span>
                </Table.Td>
                <Table.Td>{tp(`governance.${p.status}`)}</Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {tp('governance.votes', { yes: yes.length, no: no.length })}
                  </Text>
                  {yes.length > 0 && (
                    <Text size="sm">{tp('governance.for', { orgs: names(yes) })}</Text>
                  )}
                  {no.length > 0 && (
                    <Text size="sm">{tp('governance.against', { orgs: names(no) })}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <When ms={p.since} />
                </Table.Td>
                <Table.Td>
                  {mine ? (
                    mine.approve ? (
                      t('gov.votedFor')
                    ) : (
                      t('gov.votedAgainst')
                    )
                  ) : p.status === 'open' ? (
                    <Vote id={p.id} subject={what(p)} />
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function Vote(props: { id: string; subject: string }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const action = useSignedAction();
  const vote = (approve: boolean) =>
    void action.run({ type: 'membership.vote', payload: { proposal: props.id, approve } });
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="nowrap">
        <Button
          size="xs"
          loading={action.state.kind === 'busy'}
          onClick={() => vote(true)}
          aria-label={`${t('gov.approve')}: ${props.subject}`}
        >
          {t('gov.approve')}
        </Button>
        <Button
          size="xs"
          variant="default"
          disabled={action.state.kind === 'busy'}
          onClick={() => vote(false)}
          aria-label={`${t('gov.reject')}: ${props.subject}`}
        >
          {t('gov.reject')}
        </Button>
      </Group>
      {action.state.kind === 'failed' && (
        <Refusal>{refusal(action.state.error ?? action.state.code)}</Refusal>
      )}
    </Stack>
  );
}

function ProposeForm() {
  const { t } = useTranslation('staff');
  const fmt = useFormats();
  const refusal = useRefusal();
  const orgs = useOrgs();
  const action = useSignedAction();
  const [kind, setKind] = useState<Kind>('setGovernanceQuorum');
  const [id, setId] = useState('');
  const [quorum, setQuorum] = useState<number | string>(1);
  const [org, setOrg] = useState('');
  const [roles, setRoles] = useState<string[]>(['auditor']);
  const [freeze, setFreeze] = useState('');
  const [error, setError] = useState<string | null>(null);

  function change(): Record<string, unknown> | null {
    switch (kind) {
      case 'setGovernanceQuorum':
      case 'setCheckpointQuorum':
        return typeof quorum === 'number' && Number.isInteger(quorum) && quorum >= 1
          ? { kind, quorum }
          : null;
      case 'grantOversight':
        return org && roles.length > 0 ? { kind, org, roles } : null;
      case 'revokeOversight':
        return org ? { kind, org } : null;
      case 'liftFreeze':
        return TX.test(freeze) ? { kind, freeze } : null;
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const c = change();
    if (!PROPOSAL_ID.test(id)) return setError(t('gov.idInvalid'));
    if (!c) return setError(t('gov.incomplete'));
    setError(null);
    if (await action.run({ type: 'membership.propose', payload: { id, change: c } })) setId('');
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm" maw={560}>
        <Text fw={600}>{t('gov.proposeTitle')}</Text>
        <NativeSelect
          label={t('gov.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as Kind)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`gov.kinds.${k}`)}
            </option>
          ))}
        </NativeSelect>
        <TextInput
          label={t('gov.id')}
          description={t('gov.idHelp')}
          value={id}
          onChange={(e) => setId(e.currentTarget.value.trim().toLowerCase())}
          autoComplete="off"
          required
        />
        {(kind === 'setGovernanceQuorum' || kind === 'setCheckpointQuorum') && (
          <NumberInput
            label={t('gov.quorum')}
            min={1}
            max={1000}
            value={quorum}
            onChange={setQuorum}
          />
        )}
        {(kind === 'grantOversight' || kind === 'revokeOversight') && (
          <NativeSelect
            label={t('gov.org')}
            value={org}
            onChange={(e) => setOrg(e.currentTarget.value)}
          >
            <option value="">{t('gov.chooseOrg')}</option>
            {(orgs.data?.orgs ?? [])
              .filter((o) => o.type === 'government' || o.type === 'auditor')
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {fmt.name(o.names, o.id)}
                </option>
              ))}
          </NativeSelect>
        )}
        {kind === 'grantOversight' && (
          <Checkbox.Group label={t('gov.oversightRoles')} value={roles} onChange={setRoles}>
            <Group gap="md" mt={4}>
              <Checkbox value="regulator" label={t('roles.regulator')} />
              <Checkbox value="auditor" label={t('roles.auditor')} />
            </Group>
          </Checkbox.Group>
        )}
        {kind === 'liftFreeze' && (
          <TextInput
            label={t('gov.freeze')}
            value={freeze}
            onChange={(e) => setFreeze(e.currentTarget.value.trim().toLowerCase())}
            autoComplete="off"
            spellCheck={false}
          />
        )}
        <Group>
          <Button type="submit" loading={action.state.kind === 'busy'}>
            {t('gov.propose')}
          </Button>
        </Group>
        {error && <Refusal>{error}</Refusal>}
        {action.state.kind === 'failed' && (
          <Refusal>{refusal(action.state.error ?? action.state.code)}</Refusal>
        )}
        {action.state.kind === 'done' && <Text role="status">{t('gov.proposed')}</Text>}
      </Stack>
    </form>
  );
}
