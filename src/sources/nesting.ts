/**
 * The deepest nesting of elements that newsmirror parses (issue 17.4). Pages and feed items
 * nested thousands deep broke every recursive walk of the tree (serialising, text content,
 * Readability, turndown: "Maximum call stack size exceeded"), and htmlparser2 keeps its stack
 * of open elements with `Array.unshift`, so parsing 500,000 nested elements took minutes.
 * Chromium's parser flattens its tree beyond 512 levels the same way. The 145 real pages of
 * the shared corpus nest 17 levels (median) to 39 (deepest); Readability's time grows with
 * the square of the depth (about 1 s at 128 levels on this machine, 3 s at 256), so 128.
 */
export const MAX_DEPTH = 128;

/** htmlparser2's void elements: they never hold children. */
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Elements whose content htmlparser2 reads as text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);

const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
const SECTION = new Set(['thead', 'tbody']);
/** htmlparser2's implied end tags: opening the key closes an open element of the set on top of the stack. */
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', SECTION],
  ['tfoot', SECTION],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t): [string, ReadonlySet<string>] => [
    t,
    FORM,
  ]),
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((t): [string, ReadonlySet<string>] => [t, P]),
]);

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/** Where the tag whose name ends at `i` ends (after its `>`), skipping quoted attribute values. */
function tagEnd(html: string, i: number): number {
  const n = html.length;
  let j = i;
  while (j < n) {
    const c = html.charCodeAt(j);
    if (c === 0x3e) return j + 1;
    if (c === 0x3d) {
      j++;
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      const q = html.charCodeAt(j);
      if (q === 0x22 || q === 0x27) {
        const close = html.indexOf(q === 0x22 ? '"' : "'", j + 1);
        if (close === -1) return n;
        j = close + 1;
        continue;
      }
      continue;
    }
    j++;
  }
  return n;
}

/**
 * `html` with the start and end tags of elements nested deeper than `max` removed (their
 * text and everything else kept), read the way htmlparser2 builds its tree: void and raw-text
 * elements, comments, and the end tags a start tag implies. One pass, each character looked
 * at once or twice; the string itself is returned when nothing is that deep.
 */
export function capNesting(html: string, max = MAX_DEPTH): string {
  const n = html.length;
  const stack: string[] = [];
  const open = new Map<string, number>();
  const dropped = new Map<string, number>();
  const cuts: number[] = [];
  const push = (name: string) => {
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
  };
  const pop = () => {
    const name = stack.pop() as string;
    open.set(name, (open.get(name) ?? 1) - 1);
  };
  let i = html.indexOf('<');
  while (i !== -1 && i < n - 1) {
    const c = html.charCodeAt(i + 1);
    let next = i + 1;
    if (c === 0x21) {
      // `<!-- … -->`, `<![CDATA[ … ]]>`, `<!doctype …>`
      if (html.startsWith('<!--', i)) {
        const end = html.indexOf('-->', i + 4);
        next = end === -1 ? n : end + 3;
      } else if (html.startsWith('<![CDATA[', i)) {
        const end = html.indexOf(']]>', i + 9);
        next = end === -1 ? n : end + 3;
      } else {
        const end = html.indexOf('>', i + 2);
        next = end === -1 ? n : end + 1;
      }
    } else if (c === 0x3f) {
      const end = html.indexOf('>', i + 2);
      next = end === -1 ? n : end + 1;
    } else if (c === 0x2f) {
      let j = i + 2;
      if (j < n && isLetter(html.charCodeAt(j))) {
        while (j < n && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 0x2f && html.charCodeAt(j) !== 0x3e) j++;
        const name = html.slice(i + 2, j).toLowerCase();
        next = tagEnd(html, j);
        const d = dropped.get(name) ?? 0;
        if (d > 0) {
          dropped.set(name, d - 1);
          cuts.push(i, next);
        } else if ((open.get(name) ?? 0) > 0) {
          while (stack.length > 0 && stack[stack.length - 1] !== name) pop();
          pop();
        }
      } else {
        const end = html.indexOf('>', i + 2);
        next = end === -1 ? n : end + 1;
      }
    } else if (isLetter(c)) {
      let j = i + 1;
      while (j < n && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 0x2f && html.charCodeAt(j) !== 0x3e) j++;
      const name = html.slice(i + 1, j).toLowerCase();
      next = tagEnd(html, j);
      if (RAW_TEXT.has(name)) {
        // Its content is text up to its end tag, which this loop then reads as any end tag.
        const end = indexOfIgnoreCase(html, `</${name}`, next);
        if (end === -1) break;
        next = end;
      } else if (!VOID.has(name)) {
        const closes = IMPLIES_CLOSE.get(name);
        if (closes) while (stack.length > 0 && closes.has(stack[stack.length - 1] as string)) pop();
        if (stack.length >= max) {
          dropped.set(name, (dropped.get(name) ?? 0) + 1);
          cuts.push(i, next);
        } else push(name);
      }
    }
    i = html.indexOf('<', next);
  }
  if (cuts.length === 0) return html;
  let out = '';
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    out += html.slice(from, cuts[k]);
    from = cuts[k + 1] as number;
  }
  return out + html.slice(from);
}

/** `text.indexOf(needle, from)` ignoring ASCII case; `needle` is lower case. */
function indexOfIgnoreCase(text: string, needle: string, from: number): number {
  const first = needle.charCodeAt(0);
  for (let i = text.indexOf(String.fromCharCode(first), from); i !== -1; i = text.indexOf('<', i + 1)) {
    let k = 1;
    while (k < needle.length && (text.charCodeAt(i + k) | 0x20) === needle.charCodeAt(k)) k++;
    if (k === needle.length) return i;
  }
  return -1;
}
