/** The words for each end of a fund flow in the reader's language. */
import './words';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowEnd } from '@sdk';
import { useOrgName, useProgramName } from './names';

export function useFlowLabel(): (e: FlowEnd) => string {
  const { t } = useTranslation('portal');
  const orgName = useOrgName();
  const programName = useProgramName();
  return useCallback(
    (e) => {
      switch (e.kind) {
        case 'donors':
          return e.donor === 'org'
            ? t('flows.donorsOrg')
            : e.donor === 'person'
              ? t('flows.donorsPerson')
              : t('flows.donorsAnonymous');
        case 'allocation':
          return t('flows.allocation', { org: orgName(e.org) ?? e.org });
        case 'unassigned':
          return t('flows.unassigned', { org: orgName(e.org) ?? e.org });
        case 'program':
          return programName(e.program) ?? e.program;
        case 'hospital':
          return orgName(e.org) ?? e.org;
        case 'available':
          return t('flows.available');
        case 'returned':
          return t('flows.returned');
      }
    },
    [t, orgName, programName],
  );
}
