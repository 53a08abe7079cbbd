/**
 * What a domain is to the frames: its manifest and the parts it implements for them. The one
 * list of domains (src/domains/index.ts) holds one of these per domain; the API, CLI, SDK and
 * node mount each part from there, so adding a domain touches that list and its own folder only.
 */
import type { DomainCommands } from './commands.js';
import type { DomainDemo } from './demo-kit.js';
import type { DomainEvents } from './events.js';
import type { DomainRoutes, RouteContext, ViewerLookup } from './routes.js';

/** A domain's name and the other domains it reads (the build's dependency rules enforce it). */
export interface DomainManifest {
  readonly name: string;
  readonly reads: readonly string[];
}

export interface Domain {
  readonly manifest: DomainManifest;
  /** Its HTTP routes, mounted by the API frame. */
  readonly routes?: DomainRoutes;
  /**
   * Who signs in with a key, for the API's sign-in: given by the one domain that keeps the
   * consortium's members and keys.
   */
  readonly viewers?: (ctx: RouteContext) => ViewerLookup;
  /** What a committed block changed of its records, and who may see each change. */
  readonly events?: DomainEvents;
  /** Its `aidledger` commands, mounted by the CLI frame. */
  readonly commands?: DomainCommands;
  /** Its part of the demo consortium, run by `init --demo` and `cluster demo`. */
  readonly demo?: DomainDemo;
}
