import sanitizeHtml from 'sanitize-html';

/**
 * GitHub's html-pipeline `SanitizationFilter` allowlist (STACK §3), narrowed to what an
 * article body needs: the page must render the same on GitHub and on the static site, so
 * nothing passes here that GitHub would strip, and nothing GitHub allows is lost.
 */
export const ALLOWED_TAGS: readonly string[] = (
  'h1 h2 h3 h4 h5 h6 br b i strong em a pre code img tt div ins del sup sub p ol ul table thead tbody ' +
  'tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s strike summary details caption ' +
  'figure figcaption abbr bdo cite dfn mark small span time wbr'
).split(' ');

/** Attributes per tag; `*` applies to every allowed tag. */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  td: ['colspan', 'rowspan', 'align'],
  th: ['colspan', 'rowspan', 'align'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite'],
  ins: ['cite'],
  '*': ['lang', 'title', 'dir'],
};

/** Elements whose content is not text to keep when the element itself goes. */
const NON_TEXT_TAGS = (
  'script style textarea option noscript template title head iframe frame frameset object embed ' +
  'applet svg math select button xmp noembed noframes canvas audio video map'
).split(' ');

const DIMENSION = /^\d{1,5}%?$/;

/** Built once: sanitize-html copies its options on every call and never writes to them. */
const OPTIONS: sanitizeHtml.IOptions = Object.freeze({
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, [...names]])),
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard' as const,
  nonTextTags: NON_TEXT_TAGS,
  transformTags: {
    img: (tagName: string, attribs: sanitizeHtml.Attributes) => {
      const out: sanitizeHtml.Attributes = { ...attribs };
      for (const d of ['width', 'height']) {
        const v = out[d];
        if (v !== undefined && !DIMENSION.test(v.trim())) delete out[d];
      }
      return { tagName, attribs: out };
    },
  },
});

/**
 * The last step of cleaning: whatever the earlier DOM passes missed, only allowlisted
 * elements, attributes and URL schemes (http, https, mailto; images http(s) only) survive.
 */
export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
