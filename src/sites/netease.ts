import type { SiteRule } from '../config/schema.js';

/**
 * 网易 NetEase (163.com). Article pages: body `div#endText.post_text` inside `div.post_body`
 * with share bars, an ad box (`.gg200x300`) and `div.ep-source` (source and editor:
 * `责任编辑：杨倩_NF4425`); 网易号 pages (`dy.163.com`): body `div.article_box > #content` with a
 * `div.statement` disclaimer. `<meta name=author>` is the portal's name, not an author
 * (corpus/news/163.com).
 */
export const rule: SiteRule = {
  name: 'netease',
  hosts: ['163.com'],
  example: 'https://money.163.com/19/0907/13/EOFOC8MJ00258105.html',
  // `.../19/0907/13/EOFOC8MJ00258105.html`, `.../article/detail/EFDAIN1E054550F0.html` → the 16-character docid
  idPattern: '/([0-9A-Z]{16})\\.html?(?:[?#]|$)',
  title: ['.post_title', '.post_content_main h1', '.article_title h2', 'h1'],
  body: ['#endText', '.post_body', '.article_box > #content'],
  byline: ['.ep-editor', '.post_author'],
  bylinePattern: '(?:责任编辑|作者)[：:]\\s*([^_\\s]+)',
  date: ['.post_time_source', '.post_info', '.article_title .time'],
  remove: [
    '.gg200x300',
    '.ep-source img',
    '.post_topshare_wrap',
    '.post_btmshare',
    '.statement',
    '.post_comment',
    '.post_end',
  ],
};
