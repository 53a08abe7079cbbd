/** The words of the verify pages in the three languages. */
import { catalog } from '../i18n/catalog';

export const verify = catalog({}, {}, {});
