/**
 * What changed in a committed block, as a signed-in screen may be told of it. Each domain reads a
 * block's final state writes once and says what changed and who may see each change; the events
 * stream (`GET /v1/events`) then tells each viewer only the changes it may see. A change names a
 * record and its new state, never its contents: the screen reads the record through the routes
 * it already uses, which check access again.
 */
import { z } from 'zod';
import type { RouteContext, Viewer } from './routes.js';

export const ChangeSchema = z
  .object({
    domain: z.string().describe('the domain that keeps the record: `aid`, `membership`, …'),
    kind: z.string().describe('what the record is: `case`, `proposal`, `member`, `org`'),
    id: z.string(),
    state: z.string().exactOptional().describe('its state after the block, where it has one'),
  })
  .meta({ id: 'Change' });
export type Change = z.infer<typeof ChangeSchema>;

/** A change and who may see it. */
export interface VisibleChange {
  readonly change: Change;
  visibleTo(viewer: Viewer): boolean;
}

/** A domain's reading of one block's final state writes (key → JSON text, or null). */
export type ChangeReader = (writes: ReadonlyMap<string, string | null>) => readonly VisibleChange[];

/** A domain's part of the events stream, built once per node from the route context. */
export type DomainEvents = (ctx: RouteContext) => ChangeReader;
