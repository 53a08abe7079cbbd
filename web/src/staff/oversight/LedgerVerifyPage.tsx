/**
 * `verify` of the whole ledger in the auditor's own browser (`/staff/ledger`): the SDK's
 * `auditLog` run in a Web Worker over the node's public log, page by page — every leaf
 * well-formed and its signature valid, every block chained to the one before and to the genesis,
 * and the Merkle root of all leaves equal to the root of the checkpoint signed under the
 * consortium's policy. The same checks as `aidledger verify`, trusting nothing the node says.
 * The policy is the one the node publishes, shown with its fingerprint and compared with the one
 * this browser saw first for the ledger (the verify page's memory): a changed policy is pointed
 * out, since a node could publish one that trusts only its own keys.
 */
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Policy } from '@sdk';
import { client, usePolicy } from '../../lib/api';
import { useFormats } from '../../lib/locale-context';
import { ErrorNotice, Loading } from '../../components/Status';
import { policyFingerprint } from '../../verify/check';
import { comparePolicy } from '../../verify/policy-memory';
import { Page } from '../../components/Page';
import { Section } from '../../components/Section';
import { JobProgress } from './JobProgress';
import { useLedgerJob } from './useLedgerJob';

export function LedgerVerifyPage() {
  const { t } = useTranslation('oversight');
  const fmt = useFormats();
  const job = useLedgerJob();
  const policy = usePolicy();
  const s = job.state;
  return (
    <Page title={t('verify.title')}>
      <Text>{t('verify.intro')}</Text>
      <Section id="verify-run-title" title={t('verify.runTitle')}>
        <ul>
          <li>{t('verify.checkSignatures')}</li>
          <li>{t('verify.checkChain')}</li>
          <li>{t('verify.checkRoot')}</li>
        </ul>
        {policy.isPending ? (
          <Loading />
        ) : policy.isError ? (
          <ErrorNotice error={policy.error} retry={() => void policy.refetch()} />
        ) : (
          <PolicyLine policy={policy.data} />
        )}
        {s.kind === 'running' ? (
          <JobProgress
            done={s.done}
            total={s.total}
            label={t('verify.progressLabel')}
            onCancel={job.cancel}
            testId="verify-progress"
          />
        ) : (
          <div>
            <Button
              onClick={() => policy.data && job.start({ kind: 'verify', policy: policy.data })}
              disabled={!policy.data}
              data-testid="verify-start"
            >
              {s.kind === 'idle' ? t('verify.start') : t('verify.again')}
            </Button>
          </div>
        )}
        {s.kind === 'verified' && (
          <Alert color="brand" title={t('verify.passed')} role="status" data-testid="verify-passed">
            <Stack gap={4}>
              <Text>
                {t('verify.passedText', {
                  size: fmt.number(s.report.size),
                  blocks: fmt.number(s.report.blocks),
                  txs: fmt.number(s.report.txs),
                  refused: fmt.number(s.report.refused),
                })}
              </Text>
              <Text>
                {t('verify.signers')} <span className="mono">{s.report.signers.join(', ')}</span>
              </Text>
            </Stack>
          </Alert>
        )}
        {s.kind === 'failed' && (
          <Alert color="red" title={t('verify.failed')} role="alert" data-testid="verify-failed">
            {s.code === 'VERIFY_FAILED' && s.details?.['height'] === undefined
              ? t('verify.failedRoot')
              : s.code === 'VERIFY_FAILED'
                ? t('verify.failedAt', {
                    height: String(s.details?.['height'] ?? '?'),
                    index: String(s.details?.['index'] ?? '?'),
                  })
                : t('verify.failedCode', { code: s.code })}
          </Alert>
        )}
        {s.kind === 'cancelled' && (
          <Text role="status" data-testid="verify-cancelled">
            {t('verify.cancelled')}
          </Text>
        )}
      </Section>
    </Page>
  );
}

/** The policy the checkpoint is checked under, and whether this browser saw another before. */
function PolicyLine(props: { policy: Policy }) {
  const { t } = useTranslation('oversight');
  const fmt = useFormats();
  const fp = policyFingerprint(props.policy);
  const memory = comparePolicy(client.base, fp);
  return (
    <Stack gap={4} data-testid="verify-policy">
      <Text>
        {t('verify.policy', {
          quorum: props.policy.quorum,
          n: props.policy.signers.length,
        })}{' '}
        <span className="mono" title={fp}>
          {fp.slice(0, 16)}
        </span>
      </Text>
      {memory.kind === 'changed' ? (
        <Alert color="orange" title={t('verify.policyChanged')} data-testid="verify-policy-changed">
          {t('verify.policyChangedText', { since: fmt.date(memory.remembered.since) })}
        </Alert>
      ) : (
        <Text size="sm">
          {t('verify.policySince', { since: fmt.date(memory.remembered.since) })}
        </Text>
      )}
    </Stack>
  );
}
