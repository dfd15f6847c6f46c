/**
 * Reader-facing words, resolved once at load: every label in every language (`LABELS`, with
 * what the config sets winning), and the operator's menu and promo links with a label per
 * language. Render then only picks the set of a page's language.
 */
import { LABELS, LANGUAGES, type Labels, type Language } from './defaults.js';
import type { MirrorConfigInput } from './schema.js';

/** A text in the config: the same in every language, or one per language (`{ zh: 首页, en: Home }`). */
export type LocalizedText = string | { zh?: string | undefined; en?: string | undefined };

/** A menu or promo link with its label in every language. */
export interface ResolvedLink {
  label: Readonly<Record<Language, string>>;
  url: string;
}

/** The label keys of `layout` (the hot list's and the picks' names are theirs). */
const LAYOUT_LABELS = [
  'homeTitle',
  'homeLabel',
  'shareLabel',
  'originalLabel',
  'imagePlaceholder',
  'updatedLabel',
  'undatedLabel',
] as const;
type LayoutLabel = (typeof LAYOUT_LABELS)[number];

/** What the config may say about labels (the `layout` and `picks` keys as written). */
export interface LabelInput extends Partial<Record<LayoutLabel, LocalizedText | undefined>> {
  hotList?: { name?: LocalizedText | undefined } | undefined;
}

/** `text` in `lang` as the operator set it: a plain string in every language, a map in its own languages. */
export function textIn(text: LocalizedText | undefined, lang: Language): string | undefined {
  return text === undefined || typeof text === 'string' ? text : text[lang];
}

/** Every label in every language: what the config sets, else the built-in label of that language. */
export function resolveLabels(layout: LabelInput, picksName: LocalizedText | undefined): Record<Language, Labels> {
  const out = {} as Record<Language, Labels>;
  for (const lang of LANGUAGES) {
    const labels: Labels = { ...LABELS[lang] };
    for (const key of LAYOUT_LABELS) labels[key] = textIn(layout[key], lang) ?? labels[key];
    labels.hotListName = textIn(layout.hotList?.name, lang) ?? labels.hotListName;
    labels.picksName = textIn(picksName, lang) ?? labels.picksName;
    out[lang] = labels;
  }
  return out;
}

/**
 * A link's label in every language: a plain string in all of them; a map in its own, and in
 * a language it leaves out, the label of `primary` (the config's language), else any it has.
 */
export function resolveLink(link: { label: LocalizedText; url: string }, primary: Language): ResolvedLink {
  const given = LANGUAGES.map((l) => textIn(link.label, l)).find((t) => t !== undefined) ?? '';
  const label = {} as Record<Language, string>;
  for (const lang of LANGUAGES) label[lang] = textIn(link.label, lang) ?? textIn(link.label, primary) ?? given;
  return { label, url: link.url };
}

type LayoutInput = MirrorConfigInput['layout'];

/** `layout` resolved: every label in every language, the hot list's file name, links labelled per language. */
export interface ResolvedLayout extends Omit<LayoutInput, LayoutLabel | 'hotList' | 'menu' | 'promo'> {
  /** The label set of each language (a page uses its outlet's, or `language`'s). */
  labels: Readonly<Record<Language, Labels>>;
  /** `name`: the index file name, `labels[language].hotListName`. */
  hotList: { name: string; size: number; days: number };
  menu: ResolvedLink[];
  promo: { fixed: ResolvedLink[]; pool: ResolvedLink[]; pick: number };
}

/** The config's `layout` with its labels resolved, and the picks' index name (`picks.name` resolved). */
export function resolveLayout(config: Pick<MirrorConfigInput, 'layout' | 'picks'>): ResolvedLayout {
  const { homeTitle, homeLabel, shareLabel, originalLabel, imagePlaceholder, updatedLabel, undatedLabel, ...layout } =
    config.layout;
  const labels = resolveLabels(config.layout, config.picks?.name);
  const primary = layout.language;
  const link = (l: { label: LocalizedText; url: string }) => resolveLink(l, primary);
  return {
    ...layout,
    labels,
    hotList: { name: labels[primary].hotListName, size: layout.hotList.size, days: layout.hotList.days },
    menu: layout.menu.map(link),
    promo: { fixed: layout.promo.fixed.map(link), pool: layout.promo.pool.map(link), pick: layout.promo.pick },
  };
}
