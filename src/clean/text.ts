import { loadFragment } from '../extract/dom.js';

/**
 * Characters that are written without spaces between them: Han, kana, Hangul, CJK and
 * full-width punctuation, and the curly quotes and ellipsis Chinese text uses. A line
 * break between two of these is a pretty-printer's artefact, not a word space.
 */
const CJK =
  /[\u2018-\u201f\u2026\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3134f}]/u;

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && CJK.test(ch);
}

/** Zero-width and BOM characters: invisible, but they stop a text from being "empty". */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * Plain text for titles, captions and bylines: tags dropped, entities decoded, ASCII
 * whitespace collapsed. Full-width spaces (U+3000) stay: in Chinese they are content.
 */
export function plainText(raw: string | undefined): string {
  if (raw === undefined) return '';
  let text = raw;
  if (/[<&]/.test(text)) {
    const $ = loadFragment(text);
    $('script, style, template, noscript').remove();
    text = $.root().text();
  }
  return text
    .replace(INVISIBLE, '')
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, '')
    .replace(/[ \t\n\r\f]+/g, ' ')
    .trim();
}

/** True when a text has nothing a reader would see (spacing characters count as nothing). */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '').replace(/[\s\u00a0\u3000]+/gu, '') === '';
}
