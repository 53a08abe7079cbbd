/**
 * The bank details a demo node's finance officers export with (`banking.json`, docs/aid.md), for
 * the browser tests that download bank files. Test data, not accounts anyone holds: the IBAN
 * `DE89370400440532013000` is the example IBAN used throughout the IBAN and SEPA literature,
 * with `COBADEFFXXX`, the BIC of its bank code 37040044; the Chinese account numbers and CNAPS
 * member codes are made up in the right shape.
 */
export const DEMO_BANKING = {
  debtor: {
    name: 'City Civil Affairs Bureau',
    accounts: {
      CNY: {
        account: { id: '6222020200112233445', scheme: 'CNAPS-ACCOUNT' },
        agent: { clearing: { system: 'CNAPS', member: '102100099996' } },
      },
    },
  },
  payees: {
    'general-hospital': {
      name: 'General Hospital',
      account: { iban: 'DE89370400440532013000' },
      agent: { bic: 'COBADEFFXXX' },
    },
    'children-hospital': {
      name: 'Children’s Hospital',
      account: { id: '6222020200998877665' },
      agent: { clearing: { system: 'CNAPS', member: '102100099997' } },
    },
    'east-hospital': {
      name: 'East District Central Hospital',
      account: { id: '6222020200554433221' },
      agent: { clearing: { system: 'CNAPS', member: '102100099998' } },
    },
  },
};
