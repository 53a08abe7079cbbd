/**
 * A hash or id: shortened for reading, whole for copying and for screen readers, optionally a
 * link to where it is explained.
 */
import { ActionIcon, CopyButton, Group, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function shortHash(h: string, n = 10): string {
  return h.length > n + 2 ? `${h.slice(0, n)}…` : h;
}

export function Hash(props: { value: string; to?: string; full?: boolean; copy?: boolean }) {
  const { t } = useTranslation();
  const text = props.full ? props.value : shortHash(props.value);
  const label = (
    <span className="mono" title={props.value}>
      {text}
    </span>
  );
  return (
    <Group gap={4} wrap="nowrap" component="span" className="hash">
      {props.to ? <Link to={props.to}>{label}</Link> : label}
      {props.copy !== false && (
        <CopyButton value={props.value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('actions.copied') : t('actions.copy')}>
              <ActionIcon
                variant="subtle"
                size="sm"
                onClick={copy}
                aria-label={`${t('actions.copy')} ${props.value}`}
              >
                <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true">
                  <path
                    fill="currentColor"
                    d="M16 1H4a2 2 0 0 0-2 2v14h2V3h12V1zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11v14z"
                  />
                </svg>
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      )}
    </Group>
  );
}
