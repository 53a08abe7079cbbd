/**
 * Names of organisations, programs and donors in the reader's language. An id the consortium
 * has no name for (a donor organisation that is not a member) is shown as the id itself, set in
 * the monospace face that marks ids everywhere in the app.
 */
import './words';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_TYPES, type Donor } from '@sdk';
import { useOrgs } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { usePrograms } from './api';

/** An organisation's name by id, or undefined while unknown. */
export function useOrgName(): (id: string) => string | undefined {
  const orgs = useOrgs();
  const fmt = useFormats();
  return useCallback(
    (id) => {
      const o = orgs.data?.orgs.find((x) => x.id === id);
      return o ? fmt.name(o.names) : undefined;
    },
    [orgs.data, fmt],
  );
}

/** A program's name by id, or undefined while unknown. */
export function useProgramName(): (id: string) => string | undefined {
  const programs = usePrograms();
  const fmt = useFormats();
  return useCallback(
    (id) => {
      const p = programs.data?.find((x) => x.id === id);
      return p ? fmt.name(p.names) : undefined;
    },
    [programs.data, fmt],
  );
}

export function Id(props: { id: string }) {
  return <span className="mono">{props.id}</span>;
}

export function OrgName(props: { id: string }) {
  const name = useOrgName()(props.id);
  return name === undefined ? <Id id={props.id} /> : <>{name}</>;
}

export function ProgramName(props: { id: string }) {
  const name = useProgramName()(props.id);
  return name === undefined ? <Id id={props.id} /> : <>{name}</>;
}

/**
 * A donor as the portal shows one: an organisation by its name, a person or an anonymous donor
 * by kind only (a person's alias is theirs to share on their receipt, not ours to list).
 */
export function DonorName(props: { donor: Donor }) {
  const { t } = useTranslation('portal');
  const d = props.donor;
  return d.kind === 'org' ? <OrgName id={d.org} /> : <>{t(`donor.${d.kind}`)}</>;
}

/** Words for an organisation type; an unknown type is shown as it is. */
export function OrgType(props: { type: string }) {
  const { t } = useTranslation('portal');
  const k = ORG_TYPES.find((x) => x === props.type);
  return k ? <>{t(`orgType.${k}`)}</> : <Id id={props.type} />;
}
