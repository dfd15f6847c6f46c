import type { SiteRule } from '../config/schema.js';

/**
 * 新浪 Sina News / Finance. Body `div#artibody` (older `#article`), closing with
 * `p.article-editor` `责任编辑：霍琦`; a promotion (`div.new_style_article`) sits before it,
 * app QR codes and ad slots inside it (corpus/news/sina.com.cn).
 */
export const rule: SiteRule = {
  name: 'sina',
  hosts: ['sina.com.cn', 'sina.cn'],
  example: 'https://finance.sina.com.cn/roll/2018-12-28/doc-ihqfskcn2160999.shtml',
  // `.../doc-ihqfskcn2160999.shtml` → `ihqfskcn2160999`
  idPattern: '/doc-(i[a-z0-9]+)\\.s?html?(?:[?#]|$)',
  title: ['h1.main-title', '#artibodyTitle', 'h1'],
  body: ['#artibody', '#article', '.article-content-left .article'],
  byline: ['.show_author', '.article-editor'],
  bylinePattern: '(?:责任编辑|作者)[：:]\\s*(\\S+)',
  date: ['.date-source .date', '.top-bar .date', '.time-source'],
  remove: [
    '.appendQr_wrap',
    '.app-kaihu-qr',
    '.finance_app_zqtg',
    '.ct_hqimg',
    '[id^="left_hzh_ad"]',
    '[id^="ad_"]',
    '.article-notice',
    '.show_statement',
  ],
};
