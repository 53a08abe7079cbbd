/** Membership: organisations, members, roles and keys, governance, applicant accounts. */
export const manifest = { name: 'membership', reads: [] as string[] } as const;
