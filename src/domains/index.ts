/**
 * The domain registry: every domain module, in the order the frames mount them. Adding a domain
 * adds its folder and one entry here (docs/architecture.md). Membership comes first: every other
 * domain reads it, and its part of the demo enrols every part's staff before the others run.
 */
import type { DomainModule } from '../runtime/domain.js';
import { manifest as aid } from './aid/manifest.js';
import { aidCommands } from './aid/commands.js';
import { aidDemo } from './aid/demo.js';
import { manifest as membership } from './membership/manifest.js';
import { membershipCommands } from './membership/commands.js';
import { membershipDemo } from './membership/demo.js';

export const DOMAINS: readonly DomainModule[] = [
  { manifest: membership, commands: membershipCommands, demo: membershipDemo },
  { manifest: aid, commands: aidCommands, demo: aidDemo },
];
