/**
 * Which policy a receipt is checked against: the node's (remembered in this browser on first
 * sight, and pointed out if it later differs) or a policy file an auditor loads instead.
 */
import './words';
import { useEffect, useState } from 'react';
import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { parsePolicy, type Policy } from '@sdk';
import { ErrorNotice, Loading } from '../components/Status';
import { useFormats } from '../lib/locale-context';
import { Fields, useOrgName } from '../explorer/parts';
import { policyFingerprint } from './check';
import { comparePolicy, trustPolicy, type Memory } from './policy-memory';
import { FilePick } from './FilePick';

export interface FilePolicy {
  policy: Policy;
  name: string;
}

/** The whole SHA-256, in groups of four: an auditor compares all of it, not a prefix. */
function Fingerprint(props: { value: string }) {
  const short = props.value.match(/.{1,4}/g)!.join(' ');
  return (
    <span className="mono" title={props.value} data-testid="fingerprint">
      {short}
    </span>
  );
}

function MemoryNote(props: { memory: Memory; onTrust: () => void }) {
  const { t } = useTranslation('verify');
  const fmt = useFormats();
  const m = props.memory;
  if (m.kind === 'first') return <Text size="sm">{t('policy.first')}</Text>;
  const date = fmt.date(m.remembered.since);
  if (m.kind === 'same') return <Text size="sm">{t('policy.same', { date })}</Text>;
  return (
    <Alert color="yellow" data-testid="policy-changed">
      <Stack gap="xs">
        <Text size="sm">{t('policy.changed', { date })}</Text>
        <Fields
          items={[
            {
              label: t('policy.remembered'),
              value: <Fingerprint value={m.remembered.fingerprint} />,
            },
          ]}
        />
        <div>
          <Button variant="default" size="xs" onClick={props.onTrust}>
            {t('policy.trust')}
          </Button>
        </div>
      </Stack>
    </Alert>
  );
}

export function PolicyPanel(props: {
  node: { data: Policy | undefined; error: unknown; isError: boolean; refetch: () => unknown };
  file: FilePolicy | null;
  onFile: (f: FilePolicy | null) => void;
}) {
  const { t } = useTranslation('verify');
  const orgName = useOrgName();
  const [memory, setMemory] = useState<Memory | null>(null);
  const [badFile, setBadFile] = useState(false);
  const node = props.node.data;
  const nodeFp = node ? policyFingerprint(node) : undefined;

  useEffect(() => {
    if (node && nodeFp) setMemory(comparePolicy(node.origin, nodeFp));
  }, [node, nodeFp]);

  async function load(f: File) {
    try {
      if (f.size > 1_000_000) throw new Error('too large');
      const policy = parsePolicy(JSON.parse(await f.text()));
      setBadFile(false);
      props.onFile({ policy, name: f.name });
    } catch {
      setBadFile(true);
    }
  }

  const policy = props.file?.policy ?? node;
  let body;
  if (!policy) {
    body = props.node.isError ? (
      <ErrorNotice error={props.node.error} retry={() => void props.node.refetch()} />
    ) : (
      <Loading />
    );
  } else {
    const orgs = [...new Set(policy.signers.map((s) => s.org))];
    body = (
      <Stack gap="sm">
        {props.file ? (
          <Text size="sm" data-testid="policy-source">
            {t('policy.fromFile')} <span className="mono">{props.file.name}</span>
          </Text>
        ) : (
          <Text size="sm" data-testid="policy-source">
            {t('policy.fromNode')}
          </Text>
        )}
        <Fields
          items={[
            { label: t('policy.ledger'), value: <span className="mono">{policy.origin}</span> },
            {
              label: t('policy.members'),
              value: (
                <List size="sm" spacing={2}>
                  {orgs.map((o) => (
                    <List.Item key={o}>{orgName(o)}</List.Item>
                  ))}
                </List>
              ),
            },
            {
              label: t('policy.quorum'),
              value: t('policy.quorumValue', { quorum: policy.quorum, members: orgs.length }),
            },
            {
              label: t('policy.fingerprint'),
              value: (
                <Stack gap={2}>
                  <Fingerprint value={policyFingerprint(policy)} />
                  <Text size="xs" c="dimmed">
                    {t('policy.fingerprintHint')}
                  </Text>
                </Stack>
              ),
            },
          ]}
        />
        {!props.file && memory && node && nodeFp && (
          <MemoryNote memory={memory} onTrust={() => setMemory(trustPolicy(node.origin, nodeFp))} />
        )}
      </Stack>
    );
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="policy-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="policy-title">
          {t('policy.title')}
        </Title>
        <Text size="sm">{t('policy.intro')}</Text>
        {body}
        <Group gap="xs">
          <FilePick
            label={t('policy.load')}
            accept="application/json,.json"
            onFile={(f) => void load(f)}
            testId="policy-file"
          />
          {props.file && (
            <Button variant="subtle" onClick={() => props.onFile(null)}>
              {t('policy.useNode')}
            </Button>
          )}
        </Group>
        <Text size="sm" className="bad-text" aria-live="polite">
          {badFile ? t('policy.badFile') : ''}
        </Text>
      </Stack>
    </Paper>
  );
}
