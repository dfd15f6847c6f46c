import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articleText } from '../clean/plain-text.js';
import { isCallToAction, isFurnitureLine, pruneBoilerplate } from './boilerplate.js';

/** Made-up article paragraphs, long enough to be the article. */
const P = [
  'The harbour authority reopened the northern pier on Monday after six weeks of repairs to the sea wall.',
  'Ferries will run every twenty minutes during the day and every forty minutes after eight in the evening.',
  'Fishermen who moved their boats to the southern basin during the works may bring them back from next week.',
  'The authority said the repairs came in under budget and that the old crane will stay as a landmark.',
].map((t) => `<p>${t}</p>`);

const text = (html: string) => articleText(pruneBoilerplate(html));

test('a related-stories box at the end goes, with everything after its heading', () => {
  const html = `<div>${P.join('')}<h3>You might also like:</h3><ul><li><a href="https://x.test/1">Bridge closes</a></li><li><a href="https://x.test/2">New bus line</a></li></ul></div>`;
  const out = text(html);
  assert.match(out, /old crane will stay/);
  assert.doesNotMatch(out, /might also like|Bridge closes|New bus line/);
});

test('comments and the author card go, even when they are longer than the article', () => {
  const comment =
    '<p>I have lived by the harbour for thirty years and I have never seen the pier this busy on a weekday.</p>';
  const html = `<div>${P.join('')}<h2>3 Kommentare</h2>${comment.repeat(6)}</div>`;
  const out = text(html);
  assert.match(out, /old crane will stay/);
  assert.doesNotMatch(out, /Kommentare|thirty years/);
});

test('a "read also" box inside the article goes, and the article after it stays', () => {
  const html = `<div>${P.slice(0, 3).join('')}<div><h4>Lee también:</h4><p><a href="https://x.test/3">Otra noticia del puerto</a></p></div>${P.slice(3).join('')}<p>The crane, built in 1958, lifted the first containers that ever came to the town; the authority will paint it in its original green and light it at night, and a plaque will tell its story.</p></div>`;
  const out = text(html);
  assert.doesNotMatch(out, /Lee también|Otra noticia/);
  assert.match(out, /Fishermen who moved/);
  assert.match(out, /old crane will stay/);
  assert.match(out, /original green/);
});

test('a "Read more:" link the article makes stays: the mirror rewrites it to its own page', () => {
  const html = `<div>${P.join('')}<p><em>Read more:</em> <a href="https://x.test/5">Pier repairs begin</a></p>${P[0]}</div>`;
  assert.match(text(html), /Read more: Pier repairs begin/);
});

test('a heading early in the text, or a table cell named like a section, is not the end of the article', () => {
  const early = `<div><h2>Comments</h2>${P.join('')}</div>`;
  assert.match(text(early), /old crane will stay/);
  const table = `<div>${P.join('')}<table><tr><th>Field</th><th>Comment</th></tr><tr><td>new</td><td>the task waits</td></tr></table></div>`;
  assert.match(text(table), /Field\tComment\nnew\tthe task waits/);
});

test('lines that are only a date, an ad label or a reading time go; a sentence with a date stays', () => {
  const html = `<div><p>Publiziert: 03.04.2020, 12:35</p><p>- Anzeige -</p><p>5 min read</p>${P.join('')}<p>Updated March 4, 2021</p><p>The pier first opened on 3 April 1921 and was rebuilt in 1975.</p></div>`;
  const out = text(html);
  assert.doesNotMatch(out, /Publiziert|Anzeige|min read|Updated March/);
  assert.match(out, /first opened on 3 April 1921/);
  for (const line of [
    '11 Jan 2019',
    '7. oktober 2020',
    'Veröffentlichung: 2. Februar 2022',
    '2026年11月20日',
    'Image 3 of 9',
  ]) {
    assert.ok(isFurnitureLine(line), line);
  }
  for (const line of ['Close to the harbour', 'The 11 January meeting was cancelled.', 'Anzeigetafel am Bahnhof']) {
    assert.ok(!isFurnitureLine(line), line);
  }
});

test('Chinese pages: app-download lines, "related news" tails and vote prompts go', () => {
  const zh = [
    '港口管理部门周一重新开放了北码头，此前海堤维修持续了六个星期，渡轮恢复每二十分钟一班。',
    '管理部门表示，维修费用低于预算，旧吊车将作为地标保留，市民可以在周末参观。',
  ];
  const html = `<div><p>【点击投票】</p>${zh.map((t) => `<p>${t}</p>`).join('')}<p>下載自由時報APP</p><h3>相关新闻</h3><ul><li><a href="https://x.test/4">大桥封闭</a></li></ul></div>`;
  const out = text(html);
  assert.match(out, /旧吊车将作为地标保留/);
  assert.doesNotMatch(out, /点击投票|APP|相关新闻|大桥封闭/);
});

test('a body with no text comes back as it was', () => {
  assert.equal(
    pruneBoilerplate('<figure><img src="https://x.test/a.jpg"></figure>'),
    '<figure><img src="https://x.test/a.jpg"></figure>',
  );
});

test('a short call to subscribe or sign up goes; an article that quotes "no subscription needed" keeps it', () => {
  for (const line of [
    'To read the full story, please subscribe to the Harbour Gazette.',
    'Never miss the latest news by signing up to our newsletter today!',
    'Jetzt den Newsletter abonnieren und nichts verpassen.',
    'HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS',
    'Zapraszamy też do subskrypcji tygodnika.',
  ]) {
    assert.ok(isCallToAction(line), line);
  }
  assert.ok(!isCallToAction('"Kein Abonnement erforderlich. Keine Werbung", schrieb die Behörde.'));
  assert.ok(!isCallToAction(`Subscribe ${'and read on '.repeat(30)}`), 'a long paragraph is article text');
  const html = `<div>${P.join('')}<p>Never miss the latest news by signing up to our newsletter today!</p><p>No subscription is needed to ride the ferry at night, the authority said.</p></div>`;
  const out = text(html);
  assert.doesNotMatch(out, /Never miss/);
  assert.match(out, /No subscription is needed/);
});

test('disclosures, consent placeholders, app and shop promotions, letters-to-the-editor prompts and cart notices go; sentences that only share a word stay', () => {
  for (const line of [
    'For breaking news, download the Gazette apps for iOS and Android.',
    'Tell us what you think: submit a letter to the editor.',
    'Neu! Besuchen Sie unseren Hafen-Shop!',
    'Szukasz mieszkania? Zobacz oferty na naszym portalu.',
    'Periodismo que no se vende. Cancela cuando quieras.',
    'Advertising disclosure: we may receive compensation for links in this story.',
    'Für Links auf dieser Seite erhält die Redaktion ggf. eine Provision vom Händler.',
    'Klicken Sie auf den Button, um den Inhalt von maps.example zu laden.',
    'Wir stellen ohne dein Einverständnis keine Verbindung zu Videoplattform her.',
    'Diese Website verwendet Akismet, um Spam zu reduzieren.',
    'Der Artikel wurde erfolgreich hinzugefügt.',
  ]) {
    assert.ok(isCallToAction(line), line);
  }
  for (const line of [
    'The app the harbour office released last year shows the ferry times.',
    'The editor of the Gazette wrote to the harbour board in May.',
    'Der Hafen erhält vom Land eine Förderung für den neuen Kran.',
    'Die Verbindung zu den Inseln wird im Winter seltener.',
  ]) {
    assert.ok(!isCallToAction(line), line);
  }
});

test('rating prompts, toggles, labels without a value and permalinks are furniture; a "Weitere Informationen" or "Kontakt" heading late in the text ends it', () => {
  for (const line of [
    '(Noch keine Bewertungen)',
    'Hier können Sie den Artikel bewerten',
    'Kommentare schreiben',
    'Quellen ausblenden',
    'Permalink https://gazette.example/p/x1',
    'Release Date:',
    'Von:',
  ]) {
    assert.ok(isFurnitureLine(line), line);
  }
  for (const line of ['Von: Mara Lind', 'Release Date: 4 May', 'Kommentare schreiben ist erlaubt, sagt die Behörde.']) {
    assert.ok(!isFurnitureLine(line), line);
  }
  for (const heading of ['Weitere Informationen', 'Kontakt', 'meist-diskutiert', 'Audios et vidéos sur le sujet']) {
    const out = text(
      `<div>${P.join('')}<h3>${heading}</h3><p>Harbour office, Quay Street 1, open on weekdays.</p></div>`,
    );
    assert.match(out, /old crane will stay/);
    assert.doesNotMatch(out, /Quay Street/, heading);
  }
});

test('a furniture line loose in a container, or one line of a <br>-broken paragraph, goes on its own; table cells are data', () => {
  const html = `<div>${P.join('')}<p>The pier reopens at dawn.<br>Publiziert: 03.04.2020, 12:35</p><div><span>(Noch keine Bewertungen)</span><p>Ferries keep their winter timetable until March.</p></div><span><b>Von:</b><p>Mara Lind</p></span><table><tr><td>Von:</td><td>Hafenamt</td></tr></table></div>`;
  const out = text(html);
  assert.match(out, /The pier reopens at dawn\./);
  assert.match(out, /winter timetable/);
  assert.match(out, /Mara Lind/);
  assert.doesNotMatch(out, /Publiziert|Bewertungen|^Von:$/m);
  assert.match(out, /Von:\tHafenamt/, 'a label in a table cell stays');
});

test('pointers elsewhere go: "more information at …", "find it here", "also on <site>"', () => {
  for (const line of [
    'Weitere Infos unter www.hafen.example.',
    'Weitere Informationen hierzu gibt es in Kürze auf der Website des Hafenamts.',
    'For more information, visit the harbour office.',
    'Alles über Fähren findest Du hier.',
  ]) {
    assert.ok(isCallToAction(line), line);
  }
  assert.ok(isFurnitureLine('Auch auf gazette.example'));
  assert.ok(!isCallToAction('Das Hafenamt gibt weitere Informationen über die Fähre nicht heraus.'));
  assert.ok(!isFurnitureLine('Auch auf der Fähre gilt die Maskenpflicht.'));
});

test('a "most read" box of links goes wherever it is; a heading of that vocabulary over paragraphs stays', () => {
  const box =
    '<h3>Meistgelesen</h3><ol><li><a href="https://x.test/a">Gull steals a pie</a></li><li><a href="https://x.test/b">Bridge closes for a week</a></li></ol>';
  const out = text(`<div>${P[0]}${box}${P.slice(1).join('')}</div>`);
  assert.doesNotMatch(out, /Meistgelesen|Gull steals|Bridge closes/);
  assert.match(out, /old crane will stay/);
  const notABox = text(`<div>${P[0]}<h3>Tags</h3>${P.slice(1).join('')}</div>`);
  assert.match(notABox, /Fishermen who moved/);
});

test('a photo credit on its own line goes, a sentence about photos stays; credits inside captions stay in the HTML', () => {
  for (const line of [
    '(crédito: Ana Lima/Agência Porto)',
    'Photograph by Mara Lind, Harbour Trust',
    'Foto: dpa',
    'Bild: H.-J. Meyer',
  ]) {
    assert.ok(isFurnitureLine(line), line);
  }
  for (const line of ['Bilder aus dem Hafenarchiv', 'Photos of the pier were taken in May.', 'Photography']) {
    assert.ok(!isFurnitureLine(line), line);
  }
  const html = `<div>${P.join('')}<figure><img src="https://x.test/p.jpg"><figcaption>The pier <small>Foto: dpa</small></figcaption></figure></div>`;
  assert.match(pruneBoilerplate(html), /Foto: dpa/);
});

test('a teaser for another page, ending in a link that only says "read more", goes; a paragraph with a link inside stays', () => {
  const teaser =
    '<p>Summer at the lido: the pool opens early this year. <strong><a href="https://x.test/lido">Weiterlesen</a></strong></p>';
  const inline = '<p>The board published <a href="https://x.test/minutes">the minutes</a> of the meeting.</p>';
  const out = text(`<div>${P.join('')}${inline}${teaser}</div>`);
  assert.doesNotMatch(out, /lido|Weiterlesen/);
  assert.match(out, /published the minutes/);
});

test('prompts to comment or review, ad-labelled lines, bare host names and Q&A datelines go; "Heute empfehlen wir" ends the article when late', () => {
  for (const line of [
    'Bitte teilen Sie uns Ihre Erfahrungen mit, wenn Sie die Fähre schon genommen haben.',
    'Verraten Sie gerne in den Kommentaren: Wie oft fahren Sie mit?',
    'If you enjoyed this post, would you consider supporting our work?',
  ]) {
    assert.ok(isCallToAction(line), line);
  }
  for (const line of [
    'ANZEIGE - Heute mal essen gehen? Wie wäre es mit:',
    'HARBOURNEWS.COM',
    'asked Feb 6, 2014 at 20:37',
  ]) {
    assert.ok(isFurnitureLine(line), line);
  }
  for (const line of ['Anzeigen gegen den Betreiber wurden erstattet.', 'Die Domain hafen.de gehört der Stadt.']) {
    assert.ok(!isFurnitureLine(line), line);
  }
  const out = text(
    `<div>${P.join('')}<h3>Heute empfehlen wir</h3><p><a href="https://x.test/r">Kaffee vom Hafen</a></p></div>`,
  );
  assert.doesNotMatch(out, /empfehlen|Kaffee vom Hafen/);
});

test('in a definition list or a table only teasers go: labels and dates there are data', () => {
  const html = `<div>${P.join('')}<dl><dt>Wetter</dt><dd><p>Auskunft über das Wetter…<a href="https://x.test/w">mehr •••</a></p></dd><dt>Stand</dt><dd>03.04.2020</dd></dl></div>`;
  const out = text(html);
  assert.doesNotMatch(out, /Auskunft über das Wetter/);
  assert.match(out, /03\.04\.2020/);
});
