/**
 * The one list of domains. Each entry is a domain's manifest and the parts it implements for the
 * frames (src/runtime/domain.ts); the API, CLI, SDK and node mount every domain from here, so a
 * new domain is its own folder and one entry below. Membership comes first: the others read it,
 * and its part of the demo enrols every part's staff before the others run.
 */
import type { Domain } from '../runtime/domain.js';
import { aidCommands } from './aid/commands.js';
import { aidDemo } from './aid/demo.js';
import { aidEvents } from './aid/events.js';
import { manifest as aid } from './aid/manifest.js';
import { aidRoutes } from './aid/routes.js';
import { documentsCommands } from './documents/commands.js';
import { documentsDemo } from './documents/demo.js';
import { manifest as documents } from './documents/manifest.js';
import { documentsRoutes } from './documents/routes.js';
import { membershipCommands } from './membership/commands.js';
import { membershipDemo } from './membership/demo.js';
import { membershipEvents } from './membership/events.js';
import { manifest as membership } from './membership/manifest.js';
import { MembershipQueries } from './membership/model.js';
import { membershipRoutes } from './membership/routes.js';

export const domains: readonly Domain[] = [
  {
    manifest: membership,
    routes: membershipRoutes,
    viewers: ({ ledger }) => {
      const q = new MembershipQueries(ledger);
      return (key) => q.viewer(key);
    },
    events: membershipEvents,
    commands: membershipCommands,
    demo: membershipDemo,
  },
  { manifest: aid, routes: aidRoutes, events: aidEvents, commands: aidCommands, demo: aidDemo },
  {
    manifest: documents,
    routes: documentsRoutes,
    commands: documentsCommands,
    demo: documentsDemo,
  },
];
