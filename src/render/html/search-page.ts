/**
 * The script of `search.html`: Pagefind's own JS API (its index is loaded in chunks, only the
 * ones a query needs), results written as text nodes (an excerpt's `<mark>`s are the only
 * markup kept, rebuilt as elements). The index sits at the site root (`pagefind/`, one Pagefind
 * index per channel, listed in `pagefind/shards.json` and merged here), found from the page's
 * `data-root`, so the site works under any sub-path. From `file://` browsers refuse
 * to load the index's modules: the page says so.
 */
export const SEARCH_JS = `(() => {
  'use strict';
  const status = document.getElementById('status');
  const list = document.getElementById('results');
  const input = document.getElementById('q');
  if (!status || !list || !input) return;
  const root = new URL(status.dataset.root || './', location.href);
  const edition = status.dataset.edition || '';
  let pagefind;
  async function open() {
    // One index per channel, listed in shards.json: the first is loaded, the others merged into it.
    const listed = await fetch(new URL('pagefind/shards.json', root).href);
    if (!listed.ok) throw new Error('no search index');
    const shards = ((await listed.json()).shards || []).filter((s) => /^[A-Za-z0-9_-]+$/.test(s));
    if (shards.length === 0) throw new Error('no search index');
    const pf = await import(new URL('pagefind/' + shards[0] + '/pagefind.js', root).href);
    await pf.options({ baseUrl: root.pathname });
    // A shard that cannot be merged is left out; the others are still searched.
    await Promise.all(shards.slice(1).map((s) =>
      pf.mergeIndex(new URL('pagefind/' + s + '/', root).pathname, { baseUrl: root.pathname }).catch(() => undefined)));
    return pf;
  }
  async function load() {
    if (!pagefind) pagefind = open().catch((e) => { pagefind = undefined; throw e; });
    return pagefind;
  }
  function excerpt(el, html) {
    // Pagefind escapes the page text and marks the hits; anything else is dropped.
    const parts = String(html).split(/(<mark>[^<]*<\\/mark>)/);
    for (const part of parts) {
      const m = /^<mark>([^<]*)<\\/mark>$/.exec(part);
      const text = (m ? m[1] : part.replace(/<[^>]*>/g, ''))
        .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      if (m) {
        const mark = document.createElement('mark');
        mark.textContent = text;
        el.appendChild(mark);
      } else el.appendChild(document.createTextNode(text));
    }
  }
  async function run(q) {
    list.textContent = '';
    if (!q) { status.textContent = ''; return; }
    let pf;
    try { pf = await load(); } catch (e) { status.textContent = status.dataset.unavailable || ''; return; }
    const found = await pf.search(q, edition ? { filters: { edition } } : {});
    const data = await Promise.all(found.results.slice(0, 30).map((r) => r.data()));
    status.textContent = data.length === 0 ? (status.dataset.none || '') : String(found.results.length);
    for (const d of data) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = d.url;
      a.textContent = (d.meta && d.meta.title) || d.url;
      li.appendChild(a);
      const p = document.createElement('p');
      p.className = 'muted';
      excerpt(p, d.excerpt || '');
      li.appendChild(p);
      list.appendChild(li);
    }
  }
  const q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  run(q.trim());
})();
`;
