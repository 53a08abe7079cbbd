/** The words of the explorer pages in the three languages. */
import { catalog } from '../i18n/catalog';

export const explorer = catalog({}, {}, {});
