/**
 * Recent donations and recent payments to hospitals as tables: amount, program, hospital, date
 * and the transaction, never a person.
 */
import './words';
import { Anchor, Badge, Table } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Disbursement, PublicDonation } from '@sdk';
import { Hash } from '../components/Hash';
import { Money } from '../components/Money';
import { Empty } from '../components/Status';
import { When } from '../components/When';
import { DonorName, OrgName, ProgramName, useOrgName } from './names';
import { ScrollTable } from './ScrollTable';
import { TxLink } from './TxLink';

/** A program's name, linking to its page. */
function ProgramLink(props: { id: string }) {
  return (
    <Anchor component={Link} to={`/programs/${props.id}`}>
      <ProgramName id={props.id} />
    </Anchor>
  );
}

/** Where a donation is for: its program, or a general donation to the organisation. */
export function DonationTarget(props: { donation: { program: string | null; org: string } }) {
  const d = props.donation;
  if (d.program !== null) return <ProgramLink id={d.program} />;
  return <GeneralDonation org={d.org} />;
}

function GeneralDonation(props: { org: string }) {
  const { t } = useTranslation('portal');
  const orgName = useOrgName();
  return <>{t('activity.general', { org: orgName(props.org) ?? props.org })}</>;
}

export function DonationsTable(props: { donations: PublicDonation[]; caption: string }) {
  const { t } = useTranslation('portal');
  if (props.donations.length === 0) return <Empty text={t('activity.noDonations')} />;
  return (
    <ScrollTable minWidth={720} label={props.caption}>
      <Table striped aria-label={props.caption} data-testid="donations-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('activity.date')}</Table.Th>
            <Table.Th scope="col" className="num">
              {t('activity.amount')}
            </Table.Th>
            {/* Where it went comes third, so a phone shows it without scrolling sideways. */}
            <Table.Th scope="col">{t('activity.where')}</Table.Th>
            <Table.Th scope="col">{t('activity.donor')}</Table.Th>
            <Table.Th scope="col">{t('activity.program')}</Table.Th>
            <Table.Th scope="col">{t('activity.tx')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.donations.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>
                <When ms={d.time} />
              </Table.Td>
              <Table.Td className="num">
                <Money amount={d.amount} currency={d.currency} />
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/donations/${d.id}`}>
                  {t('activity.trace')}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <DonorName donor={d.donor} />
              </Table.Td>
              <Table.Td>
                <DonationTarget donation={d} />
              </Table.Td>
              <Table.Td>
                <TxLink tx={d.id} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

export function DisbursementsTable(props: { disbursements: Disbursement[]; caption: string }) {
  const { t } = useTranslation('portal');
  if (props.disbursements.length === 0) return <Empty text={t('activity.noDisbursements')} />;
  return (
    <ScrollTable minWidth={760} label={props.caption}>
      <Table striped aria-label={props.caption} data-testid="disbursements-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('activity.date')}</Table.Th>
            <Table.Th scope="col" className="num">
              {t('activity.amount')}
            </Table.Th>
            <Table.Th scope="col">{t('activity.program')}</Table.Th>
            <Table.Th scope="col">{t('activity.hospital')}</Table.Th>
            <Table.Th scope="col">{t('activity.case')}</Table.Th>
            <Table.Th scope="col">{t('activity.status')}</Table.Th>
            <Table.Th scope="col">{t('activity.tx')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.disbursements.map((d) => (
            <Table.Tr key={d.tx}>
              <Table.Td>
                <When ms={d.time} />
              </Table.Td>
              <Table.Td className="num">
                <Money amount={d.amount} currency={d.currency} />
              </Table.Td>
              <Table.Td>
                <ProgramLink id={d.program} />
              </Table.Td>
              <Table.Td>
                <OrgName id={d.hospital} />
              </Table.Td>
              <Table.Td>
                <Hash value={d.case} />
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={d.confirmed === undefined ? 'gray' : 'brand'}>
                  {d.confirmed === undefined ? t('activity.awaiting') : t('activity.confirmed')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <TxLink tx={d.tx} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
