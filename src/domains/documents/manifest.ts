/**
 * Documents: the medical certificates, invoices and income statements a program asks for, held
 * encrypted by the node that received them, committed on the ledger, read only by a recorded read.
 * It reads `aid` (a case's program, hospital and applicant) and `membership` (organisations,
 * their nodes, roles).
 */
export const manifest = { name: 'documents', reads: ['aid', 'membership'] } as const;
