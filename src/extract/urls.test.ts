import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageSource, isPlaceholderSrc, largestCandidate, parseSrcset, resolveSrcset, resolveUrl } from './urls.js';

const BASE = 'https://news.example.com/a/b.html';

describe('resolveUrl', () => {
  it('resolves http(s) and mailto, and refuses other schemes', () => {
    assert.equal(resolveUrl('../c.html', BASE), 'https://news.example.com/c.html');
    assert.equal(resolveUrl('//cdn.example.com/x.jpg', BASE), 'https://cdn.example.com/x.jpg');
    assert.equal(resolveUrl('mailto:desk@example.com', BASE), 'mailto:desk@example.com');
    assert.equal(resolveUrl(' java\tscript:alert(1)', BASE), undefined);
    assert.equal(resolveUrl('data:text/html,x', BASE), undefined);
    assert.equal(resolveUrl('', BASE), undefined);
    assert.equal(resolveUrl('http://[bad', BASE), undefined);
  });
});

describe('srcset', () => {
  it('parses candidates whose URLs contain commas', () => {
    assert.deepEqual(parseSrcset('https://cdn.example.com/w_400,h_300/a.jpg 400w, /b.jpg 2x,/c.jpg'), [
      { url: 'https://cdn.example.com/w_400,h_300/a.jpg', width: 400, density: undefined },
      { url: '/b.jpg', width: undefined, density: 2 },
      { url: '/c.jpg', width: undefined, density: undefined },
    ]);
  });

  it('picks the largest candidate, or the first when none says', () => {
    assert.equal(largestCandidate('/s.jpg 300w, /l.jpg 1200w, /m.jpg 600w'), '/l.jpg');
    assert.equal(largestCandidate('/a.jpg 1x, /b.jpg 2x'), '/b.jpg');
    assert.equal(largestCandidate('/first.jpg, /second.jpg'), '/first.jpg');
    assert.equal(largestCandidate(''), undefined);
  });

  it('resolves every candidate', () => {
    assert.equal(
      resolveSrcset('/s.jpg 300w, data:image/png;base64,AA 1w', BASE),
      'https://news.example.com/s.jpg 300w',
    );
  });
});

describe('imageSource', () => {
  it('prefers the rule attribute, then lazy attributes, then a real src, then srcset', () => {
    const attrs = { src: '/blank.gif', 'data-src': 'photo.jpg', 'data-full': '/full.jpg', srcset: '/big.jpg 2000w' };
    assert.equal(imageSource(attrs, BASE, ['data-full']), 'https://news.example.com/full.jpg');
    assert.equal(imageSource(attrs, BASE), 'https://news.example.com/a/photo.jpg');
    assert.equal(
      imageSource({ src: '/real.jpg', srcset: '/big.jpg 2000w' }, BASE),
      'https://news.example.com/real.jpg',
    );
    assert.equal(
      imageSource({ src: 'data:image/gif;base64,R0', srcset: '/big.jpg 2000w' }, BASE),
      'https://news.example.com/big.jpg',
    );
    assert.equal(imageSource({ 'data-src': 'true', src: '/real.jpg' }, BASE), 'https://news.example.com/real.jpg');
    assert.equal(imageSource({ src: 'javascript:alert(1)' }, BASE), undefined);
    assert.equal(imageSource({}, BASE), undefined);
  });

  it('knows placeholder sources', () => {
    for (const s of [
      '',
      '#',
      'data:image/gif;base64,R0',
      '/img/blank.gif',
      '/x/spacer.png',
      '/lazyload.svg',
      'loading.gif',
    ]) {
      assert.ok(isPlaceholderSrc(s), s);
    }
    for (const s of ['/img/photo.jpg', '/blanket.jpg', '/loading-dock.jpg']) assert.ok(!isPlaceholderSrc(s), s);
  });
});
