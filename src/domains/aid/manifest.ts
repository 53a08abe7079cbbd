/** Medical aid: programs, attested facts, cases, claims, donations and the funds journal. */
export const manifest = { name: 'aid', reads: ['membership'] } as const;
