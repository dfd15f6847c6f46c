import type { CheerioAPI } from 'cheerio';
import { type AnyNode, collapseText, type Element, loadFragment } from './dom.js';

/**
 * What the generic extractor's container still holds that is not the article: the blocks a
 * site puts after the story (related links, comments, newsletter boxes, the author's card,
 * share and rating prompts), and lines anywhere that are page furniture (a date on its own,
 * an ad label, a reading time, a consent placeholder for an embed).
 *
 * General signals only, never a selector for a site:
 * - **position**: a section-ending heading (vocabulary below, in the languages of the outlets we
 *   meet) counts only in the later part of the text: an h1–h6 after the first 30 %, another line
 *   after the first half with little text after it. Comments and the author's card take the rest
 *   of the text with them; a related box followed by more of the article takes only itself and
 *   the links under it;
 * - **shape**: a line goes only when it is short and *all* of it is furniture (a date and its
 *   label, an ad label, "Image 1 of 9", a label with nothing after it), or when it is a short call
 *   to subscribe, sign up, download an app, read elsewhere, or a disclosure or consent notice: a
 *   sentence that mentions a date, or quotes "no subscription needed", stays. A line is a run of
 *   inline content between blocks or `<br>`s, outside tables and definition lists.

 * Not removed: runs of links (a list of links can be the article: a changelog, a reading list)
 * and photo credits (the mirror keeps a photo's attribution; the plain text leaves captions out).
 *
 * Applied to the fallback's output only: a site rule's body is what its author chose.
 */
export function pruneBoilerplate(html: string): string {
  return pruneTree(html).html();
}

/** `pruneBoilerplate`, giving the pruned tree (the extractor reads its text for the confidence). */
export function pruneTree(html: string): CheerioAPI {
  const $ = loadFragment(html);
  const blocks = leafBlocks($);
  if (blocks.length === 0) return $;
  const texts = blocks.map((el) => collapseText($(el).text()));
  const total = texts.reduce((n, t) => n + t.length, 0);
  if (total === 0) return $;

  // 1. The tail: the first section-ending heading in the later part of the text. A heading
  // element (h1–h6) is trusted wherever it is after the first 30 %; a line of another kind
  // only after the first half, with little text after it. Earlier, a heading element of that
  // vocabulary ("Most read") over at least two blocks of nothing but links is a box of other
  // stories: the box goes, and the search goes on.
  let seen = 0;
  for (let i = 0; i < blocks.length; i++) {
    const el = blocks[i] as Element;
    const t = texts[i] ?? '';
    const after = total - seen;
    const heading = /^h[1-6]$/.test(el.tagName);
    const late = heading ? seen >= total * 0.3 : seen >= total * 0.5 && after <= total * 0.4;
    seen += t.length;
    if (inList(el) || !endsArticle(t) || mostlyLink($, el, t)) continue;
    if (!late) {
      if (heading && !COMMENTS.test(t) && linksUnder($, blocks, texts, i + 1) >= 2) removeBox($, blocks, texts, i);
      continue;
    }
    // A box of other stories inside the article ("Read also", then links), followed by more
    // of the article: only the box goes. Comments and the author's card are never followed
    // by the article; a related box with real paragraphs after it is.
    if (COMMENTS.test(t) || nextParagraph($, blocks, texts, i + 1) === -1) cutFrom($, el);
    else removeBox($, blocks, texts, i);
    break;
  }
  // 2. Lines that are furniture wherever they are: a line is a run of inline content between
  // blocks or <br>s, so a label loose in a container (`<div><span>Weitere Informationen</span>
  // <p>…`) or one line of a <br>-broken paragraph is judged on its own.
  for (const { run, data } of lines($)) {
    const t = collapseText(run.map(textOf).join(''));
    if (t === '') continue;
    // In a table or a definition list only a teaser goes: a cell's label or date is data.
    const furniture = !data && (isFurnitureLine(t) || isCallToAction(t));
    if (furniture || isTeaser($, run, t)) for (const n of run) $(n).remove();
  }
  return $;
}

/**
 * The lines of the fragment, those in tables and definition lists (whose cells are data) marked,
 * outside captions (whose credit the mirror keeps as the photo's attribution): each a
 * run of sibling nodes that are text or inline elements holding no block and no <br>.
 */
function lines($: CheerioAPI): { run: AnyNode[]; data: boolean }[] {
  const out: { run: AnyNode[]; data: boolean }[] = [];
  const flat = new Map<AnyNode, boolean>();
  const inlineOnly = (n: AnyNode): boolean => {
    if (n.type === 'text') return true;
    if (n.type !== 'tag') return false;
    const el = n as Element;
    if (BLOCK_TAGS.has(el.tagName) || el.tagName === 'br') return false;
    let known = flat.get(n);
    if (known === undefined) {
      known = el.children.every((k) => k.type !== 'tag' || inlineOnly(k));
      flat.set(n, known);
    }
    return known;
  };
  const visit = (parent: AnyNode, data: boolean): void => {
    if (!('children' in parent)) return;
    let run: AnyNode[] = [];
    for (const kid of parent.children as AnyNode[]) {
      if (inlineOnly(kid)) {
        run.push(kid);
        continue;
      }
      if (run.length > 0) out.push({ run, data });
      run = [];
      const tag = kid.type === 'tag' ? (kid as Element).tagName : '';
      if (tag !== '' && tag !== 'figcaption') visit(kid, data || DATA.has(tag));
    }
    if (run.length > 0) out.push({ run, data });
  };
  visit($.root().toArray()[0] as AnyNode, false);
  return out;
}

const DATA = new Set(['table', 'dl']);

/** A node's text, without a Cheerio object per node (every line of every page is read). */
function textOf(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (!('children' in node)) return '';
  let out = '';
  for (const kid of node.children as AnyNode[]) out += textOf(kid);
  return out;
}

/** Blocks that hold text and no other block: the units a reader sees as lines or paragraphs. */
const BLOCK_TAGS = new Set(
  'p div section article main nav header footer aside h1 h2 h3 h4 h5 h6 li dt dd blockquote figcaption pre table ul ol dl figure form details center address'.split(
    ' ',
  ),
);
const LEAF_TAGS = new Set('p h1 h2 h3 h4 h5 h6 li dt dd figcaption pre div section header footer aside'.split(' '));

function leafBlocks($: CheerioAPI): Element[] {
  const out: Element[] = [];
  // Post-order: whether an element holds a block anywhere below it (inline wrappers such as
  // <span> or <main> around paragraphs do not make their container a leaf).
  const visit = (nodes: readonly AnyNode[]): boolean => {
    let any = false;
    for (const n of nodes) {
      if (n.type !== 'tag') continue;
      const el = n as Element;
      const below = visit(el.children);
      if (LEAF_TAGS.has(el.tagName) && !below) out.push(el);
      any ||= below || BLOCK_TAGS.has(el.tagName);
    }
    return any;
  };
  visit($.root().toArray()[0]?.children ?? []);
  return out;
}

/**
 * A heading is text; "Read more: <a>another story</a>" inside the body is a link the article
 * makes (the mirror rewrites it to its own page), not the start of a box.
 */
function mostlyLink($: CheerioAPI, el: Element, text: string): boolean {
  return collapseText($(el).find('a').text()).length >= text.length / 2;
}

/**
 * A teaser for another page: a short line that ends in a link saying only "read more". The
 * article's own paragraphs do not end by sending the reader away.
 */
function isTeaser($: CheerioAPI, run: readonly AnyNode[], text: string): boolean {
  if (text.length > 400) return false;
  const last = [...run].reverse().find((n) => n.type === 'tag' || collapseText($(n).text()) !== '');
  if (last === undefined || last.type !== 'tag') return false;
  const el = last as Element;
  const linked = el.tagName === 'a' || $(el).find('a').length > 0;
  return linked && READ_MORE.test(collapseText($(el).text())) && collapseText($(el).text()).length < text.length;
}

const READ_MORE =
  /^(?:weiterlesen|mehr lesen|read more|continue reading|more|mehr|leer más|seguir leyendo|lire la suite|czytaj dalej|leggi tutto)\s*(?:»|›|→|>>|•••|\.\.\.|…)?$/iu;

/** The box that starts at heading `i`: the heading and the links under it, up to the first block that is not a link. */
function removeBox($: CheerioAPI, blocks: readonly Element[], texts: readonly string[], i: number): void {
  $(blocks[i] as Element).remove();
  for (let j = i + 1; j < blocks.length; j++) {
    const bt = texts[j] ?? '';
    if (bt !== '' && linkText($, blocks[j] as Element) < bt.length / 2) break;
    $(blocks[j] as Element).remove();
  }
}

/** How many blocks from `from` on are links and nothing else (link text at least 80 %), in a row. */
function linksUnder($: CheerioAPI, blocks: readonly Element[], texts: readonly string[], from: number): number {
  let n = 0;
  for (let j = from; j < blocks.length; j++) {
    const bt = texts[j] ?? '';
    if (bt === '' || linkText($, blocks[j] as Element) < bt.length * 0.8) break;
    n++;
  }
  return n;
}

const linkText = ($: CheerioAPI, el: Element) => collapseText($(el).find('a').text()).length;

/** Comment sections and author cards: what follows them is never more of the article. */
const COMMENTS =
  /^(?:\d+ )?(?:comments?|kommentare?|comentarios|commentaires|komentarze|評論|评论|about the author|über den autor|zum autor|(?:leave|post|add) a (?:reply|comment)|(?:schreibe|hinterlasse) einen kommentar|hinterlassen sie einen kommentar)\b/iu;

/**
 * The index of the first block from `from` on that is a real paragraph (at least 150
 * characters, under a third of them links), or -1.
 */
function nextParagraph($: CheerioAPI, blocks: readonly Element[], texts: readonly string[], from: number): number {
  for (let j = from; j < blocks.length; j++) {
    const t = texts[j] ?? '';
    if (t.length < 150) continue;
    const links = collapseText(
      $(blocks[j] as Element)
        .find('a')
        .text(),
    ).length;
    if (links < t.length / 3) return j;
  }
  return -1;
}

/** Inside a table or a list: a cell or an item named "Comments" is data, not a section heading. */
function inList(el: Element): boolean {
  for (let p = el.parent; p && p.type === 'tag'; p = p.parent)
    if (['table', 'ul', 'ol', 'dl'].includes((p as Element).tagName)) return true;
  return false;
}

/** `el` and everything after it in document order. */
function cutFrom($: CheerioAPI, el: Element): void {
  for (let node: AnyNode | null = el; node && node.type !== 'root'; node = node.parent) {
    let next = node.next;
    while (next) {
      const after: AnyNode | null = next.next;
      $(next).remove();
      next = after;
    }
  }
  $(el).remove();
}

/**
 * Headings that end an article: related stories, comments, newsletters, the author's card,
 * tags, share and rating prompts, the next thing to read.
 */
const ENDS_ARTICLE = new RegExp(
  '^(?:' +
    [
      // English
      'related(?: (?:articles?|stories|posts|content|news|reading|topics))?',
      'similar (?:articles|stories|posts)',
      'more (?:from|on|about|stories|articles|news|like this|to read|in)\\b.*',
      'read (?:more|next|also)\\b.*',
      'you (?:might|may) also (?:like|enjoy|be interested in)\\b.*',
      'recommended(?: for you| articles| stories)?',
      'most (?:read|popular|viewed)',
      'trending(?: now)?',
      'also on\\b.*',
      'about the author',
      'comments?(?: \\(\\d+\\))?',
      '\\d+ comments?',
      '(?:leave|post|add) a (?:reply|comment)',
      '(?:sign up|subscribe)\\b.*newsletter.*',
      'newsletter',
      'share (?:this|the) (?:article|story|post)',
      'tags?',
      'topics',
      // German
      'ähnliche (?:beiträge|artikel|themen)',
      'verwandte (?:artikel|beiträge|themen)',
      'weitere (?:artikel|beiträge|themen|nachrichten|meldungen)\\b.*',
      'mehr (?:zum thema|zu diesem thema|themen|artikel|zu|aus|von)\\b.*',
      'auch interessant',
      'das könnte (?:dich|sie) auch interessieren',
      'lesen sie (?:auch|mehr|weiter)\\b.*',
      'zum weiterlesen',
      'weiterführende (?:links|informationen|artikel)',
      'empfehlungen\\b.*',
      '(?:heute )?empfehlen wir\\b.*',
      'neueste (?:artikel|beiträge)',
      'meist-?(?:gelesen|diskutiert|kommentiert)\\w*',
      'weitere informationen\\b.*',
      'kontakt',
      'über den autor',
      'zum autor',
      'kommentare?(?: \\(\\d+\\))?',
      '\\d+ kommentare?',
      '(?:schreibe|hinterlasse) einen kommentar',
      'hinterlassen sie einen kommentar',
      'bildnachweis\\w*',
      'keine kommentare\\b.*',
      'schlagwörter',
      'war (?:der|dieser) (?:artikel|beitrag) (?:nützlich|hilfreich)\\??',
      '(?:möchten sie )?(?:den|diesen) (?:artikel|beitrag) teilen\\??',
      // Spanish, Portuguese, French, Polish, Italian
      '(?:le|te) puede interesar\\b.*',
      'noticias relacionadas',
      'lee también\\b.*',
      'comentarios',
      'leia também\\b.*',
      'à lire aussi\\b.*',
      'a lire aussi\\b.*',
      'sur le même sujet',
      '(?:audios? et )?vidéos sur le (?:même )?sujet',
      'commentaires',
      'czytaj (?:też|także|więcej)\\b.*',
      'zobacz (?:też|także)\\b.*',
      'polecane',
      'komentarze',
      'leggi anche\\b.*',
      // Chinese
      '(?:相关|相關)(?:新闻|新聞|阅读|閱讀|文章|推荐|推薦|报道|報導)',
      '(?:延伸|推荐|推薦)(?:阅读|閱讀)',
      '(?:热门|熱門)(?:新闻|新聞|文章|推荐|推薦)',
      '(?:网友|網友)?(?:评论|評論)',
    ].join('|') +
    ')[:：.!?…]*$',
  'iu',
);

/** Short lines that are furniture in full. */
const FURNITURE_LINE = new RegExp(
  '^(?:' +
    [
      // ad labels
      '[-–—\\s]*(?:anzeige|advertisement|werbung|publicidad|publicité|reklama|sponsored|广告|廣告)[-–—\\s]*',
      // reading time
      '(?:lesezeit:?\\s*)?\\d+\\s*(?:min(?:\\.|utes?|uten)?)\\.?(?:\\s*(?:read|lesezeit|lesen|de lectura))?',
      'ten tekst przeczytasz w mniej niż minutę',
      'ten tekst przeczytasz w \\d+ minut[ay]?',
      // gallery controls and prompts
      '(?:image|bild|foto|photo|imagen) \\d+ (?:of|von|de|sur|z) \\d+',
      '(?:close|schließen|cerrar|fermer)',
      'continue reading(?: below)?',
      'advertisement - continue reading below',
      'lade weitere inhalte\\b.*',
      '(?:load|show) more\\b.*',
      '(?:inhaltsverzeichnis|table of contents|contents|índice|sommaire|spis treści)',
      // rating prompts, comment and source toggles, labels without their value
      '\\(?(?:noch )?keine bewertungen(?: vorhanden)?\\)?',
      '(?:hier können sie )?(?:den|diesen) (?:artikel|beitrag) bewerten',
      '(?:rate this (?:article|post|story))',
      'kommentare? (?:schreiben|anzeigen|ausblenden)',
      'quellen (?:ausblenden|anzeigen|einblenden)',
      '(?:permalink|permalien|enlace permanente)\\b.{0,80}',
      '(?:von|by|autor|author|por|par|release date|quelle|source|originalartikel|original article)\\s*:',
      // a line that is only a host name
      '(?:www\\.)?[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|net|org|de|at|ch|info|news|co\\.uk)',
      // a line an ad label opens
      '(?:anzeige|advertisement|werbung|sponsored)\\s*[-–—:|]\\s+.{0,100}',
      // a photo credit on its own line (captions are not article text either)
      '\\(?(?:crédito|créditos|credits?|photo(?:graph)?s?|fotos?|fotografía|bild(?:er)?|imagen|image)(?:\\s*[:：]| (?:by|von|de|par)\\b)\\s*(?:[^.!?]|\\.(?=\\S)|(?<=(?:^|[^\\p{L}])\\p{Lu})\\. ){2,80}\\)?',
      // pointers to the same site elsewhere
      '(?:auch|mehr|also) (?:auf|on) [\\w-]+(?:\\.[\\w-]+)*\\.[a-z]{2,}',
      // embeds waiting for consent
      'externer inhalt',
      'external content',
      // Chinese furniture lines
      '(?:下载|下載).{0,12}app.*',
      '(?:ios|android)\\s*(?:载点|載點|下载|下載).*',
      '返回.{0,8}首页.*',
      '【?点击投票】?',
      '图集',
      '\\+1',
      '(?:分享到|分享至)[:：]?.{0,20}',
    ].join('|') +
    ')$',
  'iu',
);

const MONTHS =
  'jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|ma[iy]|june?|juni|july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|oktober|desember|januar|februar|styczeń|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia';

/** A line that is only a date (and a time, a label, a weekday): the page's dateline. */
const DATE_LINE = new RegExp(
  '^(?:(?:published|updated|posted|asked|answered|edited|last (?:updated|modified)|release date|aktualisiert|veröffentlicht|veröffentlichung|publiziert|stand|erstellt|datum|publicado|actualizado|publié|mis à jour|opublikowano|发布时间|發布時間|更新时间|更新時間)\\s*(?:on|am|le|el|um)?\\s*[:：]?\\s*)?' +
    '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|sábado|domingo)?[,.]?\\s*' +
    `(?:\\d{1,4}[./-]\\d{1,2}[./-]\\d{1,4}|\\d{1,2}\\.?\\s*(?:de\\s+)?(?:${MONTHS})\\.?,?\\s*(?:de\\s+)?\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{4}年\\d{1,2}月\\d{1,2}日)` +
    '(?:[,\\s|–-]*(?:um\\s*|at\\s*|à\\s*|a las\\s*)?\\d{1,2}[:.]\\d{2}(?:[:.]\\d{2})?\\s*(?:uhr|h|am|pm|a\\.m\\.|p\\.m\\.)?)?\\.?\\s*$',
  'iu',
);

/**
 * A call to subscribe, sign up, become a member or support the site: a short paragraph that asks
 * the reader for something, which no article needs to say.
 */
const CALL_TO_ACTION = new RegExp(
  [
    // Verbs that ask, and the site's own subscribers; not the noun alone ("no subscription
    // needed" can be a quote in the article).
    '\\b(?:subscribe|subscribers?|sign(?:ing)? up (?:to|for)|become a member|support(?:ing)? (?:our|us)|donate)\\b',
    // prompts to comment or review
    '\\b(?:teilen sie uns (?:ihre|ihren) (?:erfahrungen?|meinung)|verraten sie (?:uns |gerne )*in den kommentaren|let us know in the comments|tell us (?:what you think|about your experience))\\b',
    '\\b(?:abonnieren|abonniere|abonniert euch|unterstützen sie (?:uns|unsere))\\b',
    '\\b(?:suscríbete|suscribirse|hazte (?:miembro|socio)|apóyanos)\\b',
    '\\b(?:abonnez-vous|soutenez-nous)\\b',
    '\\bzapraszamy\\b.{0,40}\\bsubskrypcj|\\bzaprenumeruj\\b',
    '订阅|訂閱|加入.{0,6}会员|加入.{0,6}會員',
    // apps, letters to the editor, shops
    '\\bdownload (?:the|our)\\b.{0,40}\\bapps?\\b',
    '\\b(?:submit|write|send)\\b.{0,30}\\bletters? to the editor\\b',
    '\\bbesuchen sie unser(?:en)?\\b.{0,30}shop\\b',
    '\\bzobacz oferty\\b',
    // cancel any time: said only to a subscriber-to-be
    '\\b(?:cancel (?:at )?any ?time|cancela cuando quieras|jederzeit kündbar)\\b',
    // affiliate and advertising disclosures
    '\\b(?:advertising|affiliate) (?:disclosure|disclaimer)\\b|\\bwe may (?:receive|earn) (?:a )?(?:compensation|commission)\\b',
    '\\berhält\\b.{0,30}\\bprovision\\b|\\baffiliate[- ]?links?\\b',
    // embeds waiting for consent, comment-form notices, shop notices
    '\\bum den inhalt von\\b.{0,60}\\bzu laden\\b|\\bkeine verbindung zu\\b.{0,40}\\bher(?:zustellen|stellen)?\\b',
    '\\b(?:click|tap)\\b.{0,40}\\bto load (?:the )?content\\b',
    '\\bakismet\\b',
    // pointers elsewhere: "more information at www…", "all about X: find it here"
    '^(?:weitere|mehr) info(?:s|rmationen)\\b.{0,40}\\b(?:unter|auf|bei|gibt es)\\b|^for more information,? (?:visit|see|go to)\\b',
    '\\b(?:findest du|finden sie|find (?:it|them|out more)) hier\\b|\\bfind (?:it|them|out more) here\\b',
    '\\bwurde erfolgreich (?:hinzugefügt|in den warenkorb)|\\badded to (?:your )?(?:cart|basket)\\b',
  ].join('|'),
  'iu',
);

/** A short paragraph that asks the reader to subscribe, sign up or pay (at most 220 characters). */
export function isCallToAction(text: string): boolean {
  return text.length <= 220 && CALL_TO_ACTION.test(text);
}

/**
 * The patterns above are built from word lists, so the fault suite cannot fuzz them: they only
 * ever see one short line (at most 80 characters for a heading, 120 for a line), which bounds
 * their work whatever the line holds.
 */
export function isFurnitureLine(text: string): boolean {
  return text.length <= 120 && (FURNITURE_LINE.test(text) || DATE_LINE.test(text));
}

function endsArticle(text: string): boolean {
  return text.length <= 80 && ENDS_ARTICLE.test(text);
}
