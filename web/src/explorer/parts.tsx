/**
 * Pieces the explorer and verifier pages share: a list of labelled fields, a table and its pager,
 * a transaction's result in words, what a transaction type means, organisation names in the
 * reader's language.
 */
import './words';
import type { ReactNode } from 'react';
import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TxResult } from '@sdk';
import { useOrgs } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { shortHash } from '../components/Hash';
import { explorer } from './messages';
import './explorer.css';

/** Labelled values as a description list: two columns on a wide screen, stacked on a phone. */
export function Fields(props: { items: ({ label: string; value: ReactNode } | false)[] }) {
  return (
    <dl className="fields">
      {props.items
        .filter((i) => i !== false)
        .map((i) => (
          <div key={i.label} className="field">
            <dt>{i.label}</dt>
            <dd>{i.value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** A compact striped table with its caption above it. */
export function ExplorerTable(props: { caption: ReactNode; testId?: string; children: ReactNode }) {
  return (
    <Table
      captionSide="top"
      className="explorer-table"
      striped
      horizontalSpacing="xs"
      verticalSpacing={6}
      data-testid={props.testId}
    >
      <caption>{props.caption}</caption>
      {props.children}
    </Table>
  );
}

/** Newer and older pages of a list (newest first); a direction without a handler is disabled. */
export function Pager(props: {
  label: string;
  newer: string;
  older: string;
  onNewer: (() => void) | undefined;
  onOlder: (() => void) | undefined;
}) {
  return (
    <nav aria-label={props.label} className="pager no-print">
      <Button variant="default" disabled={!props.onNewer} onClick={props.onNewer}>
        {props.newer}
      </Button>
      <Button variant="default" disabled={!props.onOlder} onClick={props.onOlder}>
        {props.older}
      </Button>
    </nav>
  );
}

type CodeKey = keyof (typeof explorer)['en']['codes'];

function isKnownCode(code: string): code is CodeKey {
  return Object.hasOwn(explorer.en.codes, code);
}

/** Why a transaction was refused, in words, from its result code. */
export function useReasonText(): (code: string) => string {
  const { t } = useTranslation('explorer');
  return (code) => (isKnownCode(code) ? t(`codes.${code}`) : t('result.unknown'));
}

/** "Refused: the signer's role may not do this" for a result, in the reader's language. */
export function useResultText(): (r: TxResult) => string {
  const { t } = useTranslation('explorer');
  const reason = useReasonText();
  return (r) => (r.ok ? t('result.ok') : t('result.why', { reason: reason(r.code) }));
}

/** A result as a coloured badge (✓ accepted / ✗ refused with its code). */
export function ResultBadge(props: { result: TxResult }) {
  const { t } = useTranslation('explorer');
  const r = props.result;
  if (r.ok) {
    return (
      <span className="badge badge-ok">
        <span aria-hidden="true">✓ </span>
        {t('result.ok')}
      </span>
    );
  }
  return (
    <Group gap={6} wrap="wrap" component="span" className="inline-group">
      <span className="badge badge-bad">
        <span aria-hidden="true">✗ </span>
        {t('result.refused')}
      </span>
      <code className="code">{r.code}</code>
    </Group>
  );
}

/** A hash as a link: its short form is both what is seen and what is announced. */
export function HashLink(props: { value: string; to: string }) {
  return (
    <Anchor component={Link} to={props.to} className="mono" title={props.value}>
      {shortHash(props.value)}
    </Anchor>
  );
}

/** A ledger time to the second, in the reader's locale (blocks are often seconds apart). */
export function Instant(props: { ms: number }) {
  const fmt = useFormats();
  const iso = new Date(props.ms).toISOString();
  const text = fmt.instant(props.ms);
  return (
    <time dateTime={iso} title={iso}>
      {text}
    </time>
  );
}

/** The meaning of a transaction type such as `cases.submit`, or undefined for an unknown one. */
export function useTypeText(): (type: string) => string | undefined {
  const { t } = useTranslation('explorer');
  return (type) => {
    const [contract, action] = type.split('.') as [string, string | undefined];
    const group = (explorer.en.types as Record<string, Record<string, string>>)[contract];
    if (!action || !group || !Object.hasOwn(group, action)) return undefined;
    return t(`types.${contract}.${action}` as 'types.cases.submit');
  };
}

/** `contract.action` with a line-break opportunity after the dot, for narrow screens. */
function withBreak(type: string): ReactNode {
  const dot = type.indexOf('.');
  return dot < 0 ? (
    type
  ) : (
    <>
      {type.slice(0, dot + 1)}
      <wbr />
      {type.slice(dot + 1)}
    </>
  );
}

/** A transaction type: its code, and what it means when known. */
export function TxType(props: { type: string; words?: boolean }) {
  const words = useTypeText()(props.type);
  return (
    <span>
      <code className="code">{withBreak(props.type)}</code>
      {props.words !== false && words && (
        <Text span size="sm" c="dimmed" display="block">
          {words}
        </Text>
      )}
    </span>
  );
}

/** Organisation id → its name in the reader's language (the id, in code type, until known). */
export function useOrgName(): (id: string) => ReactNode {
  const orgs = useOrgs();
  const fmt = useFormats();
  return (id) => {
    const o = orgs.data?.orgs.find((x) => x.id === id);
    return o ? fmt.name(o.names, id) : <span className="mono">{id}</span>;
  };
}

/** Organisation id → its name as plain text (the id until the names have loaded). */
export function useOrgNameText(): (id: string) => string {
  const orgs = useOrgs();
  const fmt = useFormats();
  return (id) => fmt.name(orgs.data?.orgs.find((x) => x.id === id)?.names, id);
}

/** Role ids in words, for the roles this app knows (any other as its id). */
export function useRoleText(): (role: string) => string {
  const { t } = useTranslation('explorer');
  return (role) =>
    Object.hasOwn(explorer.en.roles, role)
      ? t(`roles.${role as keyof (typeof explorer)['en']['roles']}`)
      : role;
}
