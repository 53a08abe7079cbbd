/** The words of the applicant pages in the three languages. */
import { catalog } from '../i18n/catalog';

export const applicant = catalog({}, {}, {});
