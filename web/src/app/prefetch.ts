/**
 * A script of its own beside the app's (the build adds it to index.html, `async`): it starts
 * fetching the code of the page being opened, its route's `lazy`, while the app's own code is
 * still on its way. The router would ask for it only once that code has arrived and run, which
 * on a slow phone on a slow network is most of a second later (bench/phone.ts). It only fetches:
 * the router still decides what shows, and loads the page itself where this guessed nothing.
 */
import type { RouteObject } from 'react-router';
import { portalRoutes } from '../portal/routes';
import { explorerRoutes } from '../explorer/routes';
import { verifyRoutes } from '../verify/routes';
import { applicantPages } from '../applicant/pages';
import { staffRoutes } from '../staff/routes';

/** Whether a route's path (`programs/:id`, `/staff/*`; the index is `/`) takes this address. */
function takes(route: RouteObject, at: string): boolean {
  if (route.index) return at === '/';
  if (route.path === undefined) return false;
  const pattern = route.path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s === '*' ? '(?:/.*)?' : s.startsWith(':') ? '/[^/]+' : `/${s}`))
    .join('');
  return new RegExp(`^${pattern}/?$`).test(at);
}

const at = location.pathname;
for (const route of [
  ...portalRoutes,
  ...explorerRoutes,
  ...verifyRoutes,
  ...applicantPages,
  ...staffRoutes,
]) {
  if (typeof route.lazy === 'function' && takes(route, at))
    // A failure is the router's to report, when it asks for the same code.
    route.lazy().catch(() => undefined);
}

// The first Intl object a page makes costs a slow phone a few hundred milliseconds (the browser
// loads its locale data then, whatever the locale), and every page formats a number or a date, the
// footer at least. Made now, while the app's code is still downloading, that cost is off the way
// to a usable page.
new Intl.NumberFormat().format(0);
