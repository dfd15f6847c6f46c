/**
 * Simplified and Traditional Chinese editions (opencc-js, phrase by phrase: 软件 → 軟體, not
 * 软件 → 軟件). A page is written in one script; with editions on, its other edition lives under
 * `hans/` or `hant/` at the same path, and each links to the other. Only text is converted:
 * attributes that hold addresses (href, src) never are, so links and images keep working.
 */
import { Converter } from 'opencc-js';
import type { AnyNode, Element } from '../extract/dom.js';
import { loadFragment } from '../extract/dom.js';

export type Script = 'zh-Hans' | 'zh-Hant';
export const SCRIPTS: readonly Script[] = ['zh-Hans', 'zh-Hant'];

/** The folder that holds the pages of an edition that were written in the other script. */
export function editionPrefix(script: Script): string {
  return script === 'zh-Hans' ? 'hans' : 'hant';
}

export type Variant = 'tw' | 'twp' | 'hk';

const converters = new Map<string, (text: string) => string>();

/** Building a converter costs ~90 ms (STACK §7): each is made once, on first use. */
function converter(from: string, to: string): (text: string) => string {
  const name = `${from}>${to}`;
  const made = converters.get(name);
  if (made) return made;
  const c: (text: string) => string = Converter({ from: from as 'cn', to: to as 'cn' });
  converters.set(name, c);
  return c;
}

/** Text converted into `to` (phrase conversion); `to` undefined leaves it as it is. */
export function toScript(to: Script | undefined, variant: Variant): (text: string) => string {
  if (to === undefined) return (t) => t;
  // From Traditional, the Taiwan-phrase dictionary also turns 軟體 back into 软件.
  return to === 'zh-Hant' ? converter('cn', variant) : converter(variant === 'hk' ? 'hk' : 'twp', 'cn');
}

const HAN = /\p{Script=Han}/gu;

/**
 * The script a Chinese text is written in: the language tag when it says (`zh-TW`, `zh-Hant`,
 * `zh-CN`…), else the share of its Han characters that the character-level Traditional →
 * Simplified table changes (0 for Simplified text; a few percent and up for Traditional).
 */
export function scriptOf(text: string, lang?: string): Script | undefined {
  const tag = (lang ?? '').toLowerCase();
  if (/^zh-(hant|tw|hk|mo)\b/.test(tag)) return 'zh-Hant';
  if (/^zh-(hans|cn|sg|my)\b/.test(tag)) return 'zh-Hans';
  const sample = text.slice(0, 2000);
  const han = sample.match(HAN)?.length ?? 0;
  if (han === 0) return undefined;
  const simplified = converter('tw', 'cn')(sample);
  let changed = 0;
  const a = Array.from(sample);
  const b = Array.from(simplified);
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) changed++;
  return changed / han >= 0.02 ? 'zh-Hant' : 'zh-Hans';
}

/** Attributes whose text readers see (the others hold addresses or ids, and are kept). */
const TEXT_ATTRS = ['alt', 'title'];

/** Sanitised HTML with its text (and alt/title) converted; markup and addresses untouched. */
export function convertHtml(html: string, convert: (text: string) => string): string {
  const $ = loadFragment(html);
  const walk = (nodes: readonly AnyNode[]) => {
    for (const n of nodes) {
      if (n.type === 'text') n.data = convert(n.data);
      else if (n.type === 'tag') {
        const el = n as Element;
        for (const name of TEXT_ATTRS) {
          const v = el.attribs[name];
          if (v !== undefined) el.attribs[name] = convert(v);
        }
        walk(el.children);
      }
    }
  };
  walk($.root().contents().toArray());
  return $.html();
}
