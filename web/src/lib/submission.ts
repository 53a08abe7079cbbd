/**
 * Building a signed transaction: the SDK's builder with the wire schemas it checks against (zod,
 * most of the SDK's weight). Pages load it when they first sign (applicant/session.ts), so a page
 * that only shows a form, /me on a slow phone, is ready without it.
 */
export { buildSubmission } from '@sdk';
