import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'adaptivecards-templating';
import { projectPath } from '../projectRoot';
import { plainCardText } from './plainText';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard' };

export const CARDS_DIR = projectPath('cards');

const templates = new Map<string, Template>();

function template(name: string): Template {
  let t = templates.get(name);
  if (!t) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new RangeError(`invalid card template name "${name}"`);
    const json = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
    t = new Template(json);
    templates.set(name, t);
  }
  return t;
}

/**
 * Renders `cards/<name>.json` with `data` as `$root`. Templates are parsed once and cached; the
 * expansion itself is cheap. Text from users is rendered as data, never as template syntax, and
 * shown literally: no live links, no direction overrides (see plainText.ts).
 */
export function renderCard<T extends object>(name: string, data: T): AdaptiveCard {
  const card = template(name).expand({ $root: data }) as AdaptiveCard;
  if (card?.type !== 'AdaptiveCard') throw new Error(`card template "${name}" did not produce an AdaptiveCard`);
  return plainCardText(card);
}
