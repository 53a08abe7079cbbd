/** Pieces the staff pages share: role names, key fingerprints, refusals in words, passphrases. */
import { useCallback, useState, type ReactNode } from 'react';
import { Alert, Button, Group, PasswordInput, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AidError } from '@sdk';
import { useErrorText } from '../components/Status';
import { KeyError, MIN_PASSPHRASE, passphraseStrength } from './keystore';
import { STAFF_ROLES, type StaffRole } from './roles';

const isRole = (r: string): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r);

/** A role's name in the reader's language. */
export function useRoleName(): (role: string) => string {
  const { t } = useTranslation('staff');
  return useCallback((r: string) => (isRole(r) ? t(`roles.${r}`) : r), [t]);
}

/** Roles as small labels. */
export function RoleList(props: { roles: readonly string[] }) {
  const roleName = useRoleName();
  return (
    <Group gap={4} component="span" wrap="wrap">
      {props.roles.map((r) => (
        <span key={r} className="role-chip" data-testid={`role-${r}`}>
          {roleName(r)}
        </span>
      ))}
    </Group>
  );
}

/**
 * The first 16 hex digits of a public key in groups of four: what a new member and the
 * administrator read to each other before the enrolment is signed.
 */
export function fingerprint(key: string): string {
  return (key.slice(0, 16).match(/.{4}/g) ?? []).join(' ');
}

export function Fingerprint(props: { value: string; testId?: string }) {
  return (
    <span className="mono fingerprint" data-testid={props.testId}>
      {fingerprint(props.value)}
    </span>
  );
}

/** Codes the staff pages put in words of their own; others go to the common error words. */
const CODES = [
  'INVITATION_USED',
  'INVITATION_EXPIRED',
  'INVITATION_REVOKED',
  'ROLE_NOT_ALLOWED',
  'KEY_IN_USE',
  'NO_POSSESSION',
  'ALREADY_EXISTS',
  'ALREADY_VOTED',
  'LAST_ADMIN',
  'INVALID_STATE',
  'WRONG_ORG',
  'FORBIDDEN_ROLE',
  'KEY_REVOKED',
  'UNKNOWN_KEY',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'TOO_MANY',
  'RATE_LIMITED',
] as const;

/** A refusal or failure in words: a ledger code, an AidError from the node, a KeyError here. */
export function useRefusal(): (e: unknown) => string {
  const { t } = useTranslation('staff');
  const errorText = useErrorText();
  return useCallback(
    (e: unknown) => {
      if (e instanceof KeyError) return t(`keyErrors.${e.kind}`);
      const code = typeof e === 'string' ? e : e instanceof AidError ? e.code : undefined;
      if (code !== undefined && (CODES as readonly string[]).includes(code))
        return t(`refusals.${code as (typeof CODES)[number]}`);
      return typeof e === 'string' ? t('refusals.other', { code: e }) : errorText(e);
    },
    [t, errorText],
  );
}

export function Refusal(props: { children: ReactNode; testId?: string }) {
  const { t } = useTranslation('staff');
  return (
    <Alert color="red" title={t('refused')} role="alert" data-testid={props.testId}>
      {props.children}
    </Alert>
  );
}

const STRENGTH = ['short', 'weak', 'fair', 'strong'] as const;
const STRENGTH_COLOR = ['red.8', 'orange.9', 'yellow.8', 'brand'] as const;

/** A passphrase field; with `strength`, a hint of how strong a new one is. */
export function PassphraseField(props: {
  label: string;
  description?: string;
  value: string;
  onChange(value: string): void;
  error: string | undefined;
  autoComplete: 'new-password' | 'current-password';
  testId: string;
  strength?: boolean;
}) {
  const { t } = useTranslation('staff');
  const s = passphraseStrength(props.value);
  return (
    <Stack gap={4}>
      <PasswordInput
        visibilityToggleButtonProps={{ 'aria-label': t('key.togglePassphrase') }}
        label={props.label}
        description={props.description}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        error={props.error}
        aria-invalid={props.error !== undefined}
        autoComplete={props.autoComplete}
        required
        data-testid={props.testId}
      />
      {props.strength && props.value !== '' && (
        <>
          <Progress value={(s + 1) * 25} color={STRENGTH_COLOR[s]} size="sm" aria-hidden="true" />
          <Text size="sm" aria-live="polite">
            {t('key.strength', { level: t(`key.strengthLevel.${STRENGTH[s]}`) })}
          </Text>
        </>
      )}
    </Stack>
  );
}

/**
 * A new passphrase typed twice, for sealing a key (answering an invitation, importing a key file,
 * rotating): its two fields (`<testId>-passphrase`, `<testId>-confirm`) and the check before
 * sealing, which shows what is wrong beside the field.
 */
export function useNewPassphrase() {
  const { t } = useTranslation('staff');
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ pass?: string; again?: string }>({});
  return {
    pass,
    /** Whether the passphrase is long enough and typed alike twice; says why not otherwise. */
    check(): boolean {
      const errs: typeof errors = {};
      if ([...pass].length < MIN_PASSPHRASE) errs.pass = t('key.tooShort');
      if (again !== pass) errs.again = t('key.mismatch');
      setErrors(errs);
      return !errs.pass && !errs.again;
    },
    clear(): void {
      setPass('');
      setAgain('');
    },
    fields: (testId: string) => (
      <>
        <PassphraseField
          label={t('key.newPassphrase')}
          description={t('key.passphraseHelp')}
          value={pass}
          onChange={setPass}
          error={errors.pass}
          autoComplete="new-password"
          testId={`${testId}-passphrase`}
          strength
        />
        <PassphraseField
          label={t('key.confirm')}
          value={again}
          onChange={setAgain}
          error={errors.again}
          autoComplete="new-password"
          testId={`${testId}-confirm`}
        />
      </>
    ),
  };
}

/** Saves text as a file through the browser's download. */
export function downloadText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Pages of a list read newest first, by cursor: the cursor of each page seen, so "Newer" steps
 * back through them and "Older" steps on to the cursor the last page gave.
 */
export function useCursorPages<C extends string | number>() {
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined]);
  return {
    /** The cursor of the page shown (undefined on the first). */
    cursor: cursors[cursors.length - 1],
    /** The number of the page shown, from 1. */
    n: cursors.length,
    /** Back to the first page, when the list's filter changes. */
    restart: () => setCursors([undefined]),
    newer: () => setCursors((c) => c.slice(0, -1)),
    older: (next: C) => setCursors((c) => [...c, next]),
  };
}

/**
 * The "Newer" and "Older" buttons under a list paged by `useCursorPages`; `next` is the cursor
 * the shown page gave (none on the last page). With `showPage`, the page's number beside them.
 */
export function PageButtons<C extends string | number>(props: {
  pages: ReturnType<typeof useCursorPages<C>>;
  next: C | undefined;
  showPage?: boolean;
  olderTestId?: string;
}) {
  const { t } = useTranslation('staff');
  const { pages, next } = props;
  const buttons = (
    <Group gap="xs" justify={props.showPage ? undefined : 'flex-end'}>
      <Button variant="default" size="xs" disabled={pages.n === 1} onClick={pages.newer}>
        {t('queue.newer')}
      </Button>
      <Button
        variant="default"
        size="xs"
        disabled={next === undefined || next === ''}
        onClick={() => {
          if (next !== undefined && next !== '') pages.older(next);
        }}
        data-testid={props.olderTestId}
      >
        {t('queue.older')}
      </Button>
    </Group>
  );
  if (!props.showPage) return buttons;
  return (
    <Group gap="sm" justify="space-between">
      <Text size="sm" aria-live="polite">
        {t('queue.page', { n: pages.n })}
      </Text>
      {buttons}
    </Group>
  );
}
