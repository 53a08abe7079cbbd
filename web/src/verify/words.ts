/**
 * Adds the verify words to the app's translations. Imported by each module that uses them, so they
 * come with the code of those pages rather than with the app: a phone opening /me loads none of
 * them.
 */
import { addNamespaces } from '../i18n';
import { verify } from './messages';

addNamespaces({ verify });
