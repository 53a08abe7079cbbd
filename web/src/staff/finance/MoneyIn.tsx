/**
 * Money coming in, recorded by the finance officer: a donation (`donations.receive`: to one of the
 * organisation's programs, or general, to be assigned later) and a budget allocation
 * (`funds.allocate`). What the ledger publishes is the donor as they chose to be shown, the amount
 * and how the money came; the donor's name and the payment or budget reference go in the private
 * part. Money arriving funds the program's waitlist, oldest first.
 */
import { useState, type FormEvent } from 'react';
import { Anchor, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { MINOR_DIGITS, type ProgramView } from '@sdk';
import { useOrgs } from '../../lib/api';
import { useFormats } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { useSignedAction, type ActionState } from '../api';
import { Refusal } from '../parts';
import { parseMajor } from './money-input';
import { useMoneyRefusal } from './refusal';

const RAILS = [
  'bank-transfer',
  'fps',
  'alipay',
  'wechat-pay',
  'card',
  'cheque',
  'cash',
  'treasury',
] as const;
type Rail = (typeof RAILS)[number];
type DonorKind = 'org' | 'person' | 'anonymous';

/** What an action came to: the transaction, or the refusal in words. */
function Outcome(props: { state: ActionState; done: string; testId: string }) {
  const { t } = useTranslation('finance');
  const refusal = useMoneyRefusal();
  const s = props.state;
  if (s.kind === 'done')
    return (
      <Text role="status" data-testid={`${props.testId}-done`}>
        {props.done} ·{' '}
        <Anchor component={Link} to={`/explorer/tx/${s.outcome.id}`}>
          {t('queue.transaction')}
        </Anchor>
      </Text>
    );
  if (s.kind === 'failed')
    return <Refusal testId={`${props.testId}-refused`}>{refusal(s.error ?? s.code)}</Refusal>;
  return null;
}

export function DonationForm(props: { programs: readonly ProgramView[]; org: string }) {
  const { t } = useTranslation('finance');
  const fmt = useFormats();
  const orgs = useOrgs();
  const action = useSignedAction();
  const [program, setProgram] = useState(props.programs[0]?.id ?? '');
  const [currency, setCurrency] = useState(props.programs[0]?.currency ?? 'CNY');
  const [donorKind, setDonorKind] = useState<DonorKind>('person');
  const [donorOrg, setDonorOrg] = useState('');
  const [alias, setAlias] = useState('');
  const [amount, setAmount] = useState('');
  const [rail, setRail] = useState<Rail>('bank-transfer');
  const [name, setName] = useState('');
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [doneText, setDoneText] = useState('');

  const prog = props.programs.find((p) => p.id === program);
  const cur = prog?.currency ?? currency;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const minor = parseMajor(amount, cur);
    if (minor === undefined) errs['amount'] = t('money.amountInvalid');
    if (donorKind === 'org' && donorOrg === '') errs['donorOrg'] = t('money.donorOrgMissing');
    if (donorKind === 'person' && (alias.trim() === '' || alias.trim().length > 64))
      errs['alias'] = t('money.aliasInvalid');
    setErrors(errs);
    if (Object.keys(errs).length > 0 || minor === undefined) return;
    const donor =
      donorKind === 'org'
        ? { kind: 'org', org: donorOrg }
        : donorKind === 'person'
          ? { kind: 'person', alias: alias.trim() }
          : { kind: 'anonymous' };
    const facts: Record<string, string> = {};
    if (name.trim() !== '') facts['name'] = name.trim();
    if (reference.trim() !== '') facts['reference'] = reference.trim();
    const ok = await action.run({
      type: 'donations.receive',
      payload: {
        donor,
        amount: minor.toString(),
        currency: cur,
        ...(program ? { program } : {}),
        rail: { kind: rail },
      },
      ...(Object.keys(facts).length > 0 ? { facts } : {}),
    });
    if (ok) {
      setDoneText(t('money.donationDone', { amount: fmt.money(minor, cur) }));
      setAmount('');
      setName('');
      setReference('');
    }
  }

  return (
    <Section id="donation-title" title={t('money.donationTitle')}>
      <Text>{t('money.donationIntro')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm" maw={520}>
          <NativeSelect
            label={t('money.program')}
            value={program}
            onChange={(e) => setProgram(e.currentTarget.value)}
            data-testid="donation-program"
          >
            {props.programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
            <option value="">{t('money.general')}</option>
          </NativeSelect>
          {program === '' && (
            <NativeSelect
              label={t('money.currency')}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value)}
            >
              {Object.keys(MINOR_DIGITS).map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </NativeSelect>
          )}
          <NativeSelect
            label={t('money.donor')}
            value={donorKind}
            onChange={(e) => setDonorKind(e.currentTarget.value as DonorKind)}
            data-testid="donation-donor-kind"
          >
            <option value="person">{t('money.donorPerson')}</option>
            <option value="org">{t('money.donorOrg')}</option>
            <option value="anonymous">{t('money.donorAnonymous')}</option>
          </NativeSelect>
          {donorKind === 'person' && (
            <TextInput
              label={t('money.alias')}
              description={t('money.aliasHelp')}
              value={alias}
              onChange={(e) => setAlias(e.currentTarget.value)}
              error={errors['alias']}
              aria-invalid={errors['alias'] !== undefined}
              maxLength={64}
              data-testid="donation-alias"
            />
          )}
          {donorKind === 'org' && (
            <NativeSelect
              label={t('money.donorOrgLabel')}
              value={donorOrg}
              onChange={(e) => setDonorOrg(e.currentTarget.value)}
              error={errors['donorOrg']}
              aria-invalid={errors['donorOrg'] !== undefined}
            >
              <option value="">{t('money.chooseOrg')}</option>
              {(orgs.data?.orgs ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {fmt.name(o.names, o.id)}
                </option>
              ))}
            </NativeSelect>
          )}
          <TextInput
            label={t('money.amount', { currency: cur })}
            description={t('money.amountHelp')}
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={errors['amount']}
            aria-invalid={errors['amount'] !== undefined}
            inputMode="decimal"
            autoComplete="off"
            required
            data-testid="donation-amount"
          />
          <NativeSelect
            label={t('money.rail')}
            value={rail}
            onChange={(e) => setRail(e.currentTarget.value as Rail)}
          >
            {RAILS.map((r) => (
              <option key={r} value={r}>
                {t(`money.rails.${r}`)}
              </option>
            ))}
          </NativeSelect>
          <TextInput
            label={t('money.donorName')}
            description={t('money.privateHelp')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
            autoComplete="off"
            data-testid="donation-name"
          />
          <TextInput
            label={t('money.paymentReference')}
            description={t('money.privateHelp')}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            maxLength={128}
            autoComplete="off"
            data-testid="donation-reference"
          />
          <Group>
            <Button
              type="submit"
              loading={action.state.kind === 'busy'}
              data-testid="donation-submit"
            >
              {t('money.recordDonation')}
            </Button>
          </Group>
          <Outcome state={action.state} done={doneText} testId="donation" />
        </Stack>
      </form>
    </Section>
  );
}

export function AllocationForm(props: { programs: readonly ProgramView[] }) {
  const { t } = useTranslation('finance');
  const fmt = useFormats();
  const action = useSignedAction();
  const [program, setProgram] = useState(props.programs[0]?.id ?? '');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | undefined>();
  const prog = props.programs.find((p) => p.id === program);
  const cur = prog?.currency ?? 'CNY';
  const [doneText, setDoneText] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseMajor(amount, cur);
    if (minor === undefined) {
      setError(t('money.amountInvalid'));
      return;
    }
    setError(undefined);
    const ok = await action.run({
      type: 'funds.allocate',
      payload: { program, amount: minor.toString() },
      ...(reference.trim() !== '' ? { facts: { reference: reference.trim() } } : {}),
    });
    if (ok) {
      setDoneText(t('money.allocationDone', { amount: fmt.money(minor, cur) }));
      setAmount('');
      setReference('');
    }
  }

  return (
    <Section id="allocation-title" title={t('money.allocationTitle')}>
      <Text>{t('money.allocationIntro')}</Text>
      {props.programs.length === 0 ? (
        <Text>{t('figures.none')}</Text>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm" maw={520}>
            <NativeSelect
              label={t('money.program')}
              value={program}
              onChange={(e) => setProgram(e.currentTarget.value)}
              data-testid="allocation-program"
            >
              {props.programs.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
            <TextInput
              label={t('money.amount', { currency: cur })}
              description={t('money.amountHelp')}
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={error}
              aria-invalid={error !== undefined}
              inputMode="decimal"
              autoComplete="off"
              required
              data-testid="allocation-amount"
            />
            <TextInput
              label={t('money.budgetReference')}
              description={t('money.privateHelp')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              maxLength={128}
              autoComplete="off"
              data-testid="allocation-reference"
            />
            <Group>
              <Button
                type="submit"
                loading={action.state.kind === 'busy'}
                data-testid="allocation-submit"
              >
                {t('money.recordAllocation')}
              </Button>
            </Group>
            <Outcome state={action.state} done={doneText} testId="allocation" />
          </Stack>
        </form>
      )}
    </Section>
  );
}
