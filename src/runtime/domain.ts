/**
 * What a domain module gives the frames, as the registry (src/domains/index.ts) lists it: its
 * manifest, its command-line commands and its part of the demo consortium. Declared below the
 * domains, so that a domain implements it without importing the frames that mount it.
 */
import type { DomainCommands } from './commands.js';
import type { DomainDemo } from './demo-kit.js';

/** A domain's name and the other domains it reads (the build's dependency rules enforce it). */
export interface Manifest {
  readonly name: string;
  readonly reads: readonly string[];
}

export interface DomainModule {
  readonly manifest: Manifest;
  /** Its `aidledger` commands, mounted by the CLI. */
  readonly commands?: DomainCommands;
  /** Its part of the demo consortium, run by `init --demo` and `cluster demo`. */
  readonly demo?: DomainDemo;
}
