/** The words of the portal pages in the three languages. */
import { catalog } from '../i18n/catalog';

export const portal = catalog({}, {}, {});
