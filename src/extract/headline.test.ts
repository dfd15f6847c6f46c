import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDocument } from './dom.js';
import { headlineCandidate } from './headline.js';

const ARTICLE = [
  'The harbour authority reopened the northern pier on Monday after six weeks of repairs to the sea wall, and the first ferry left at seven.',
  'Ferries will run every twenty minutes during the day and every forty minutes after eight in the evening, the timetable says.',
  'Fishermen who moved their boats to the southern basin during the works may bring them back from next week, the authority added.',
  'The repairs came in under budget, and the old crane by the pier will stay as a landmark, painted in its original green.',
  'Residents had asked for a footpath along the wall; the council will decide on it in the spring, together with new lighting.',
  'Until then the pier closes at ten at night, and the car park by the ticket office stays free for ferry passengers on weekdays.',
  'Traders on the quay said they expected the busy weeks of the summer to come back now that the boats were running again.',
  'The authority thanked the divers and engineers who worked through the storms of October to finish the job before winter.',
  'A small ceremony is planned for Saturday morning, with the mayor cutting a ribbon at the gate where the old ticket booth stood.',
  'The southern basin, used as a stopgap during the works, will be dredged over the winter so that larger boats can moor there too.',
  'Ticket prices stay the same this year; a monthly pass for commuters costs as much as twenty single journeys, as before.',
  'The timetable for the holidays will be published in December, with extra crossings on the days before and after the new year.',
]
  .map((t) => `<p>${t}</p>`)
  .join('');

const PAGE = `<!doctype html><html><head><title>Northern pier reopens after repairs</title></head><body>
<div class="login"><p>Please enter your e-mail address. This address is already registered with us.</p></div>
<div class="story"><div class="head"><h1>Northern pier reopens after repairs</h1></div><div class="text">${ARTICLE}</div></div>
</body></html>`;

const elsewhere = {
  html: '<p>x</p>',
  text: 'Please enter your e-mail address. This address is already registered with us.',
};

test('a block that shares no word with the headline gives way to the article under the <h1>', () => {
  const alt = headlineCandidate(
    loadDocument(PAGE),
    'Northern pier reopens after repairs',
    elsewhere,
    'https://x.test/',
  );
  assert.ok(alt, 'a second opinion');
  assert.match(alt.text, /old crane by the pier/);
  assert.doesNotMatch(alt.text, /e-mail address/);
});

test('no second opinion when Readability found the article, or the title is Chinese or one word', () => {
  const $ = loadDocument(PAGE);
  const found = { html: '', text: 'The northern pier reopens: repairs to the sea wall are done.' };
  assert.equal(headlineCandidate($, 'Northern pier reopens after repairs', found, 'https://x.test/'), undefined);
  assert.equal(headlineCandidate($, '北码头维修后重新开放', elsewhere, 'https://x.test/'), undefined);
  assert.equal(headlineCandidate($, 'Pier', elsewhere, 'https://x.test/'), undefined);
});

test('no second opinion without an <h1> that states the headline', () => {
  const $ = loadDocument(PAGE.replace('<h1>Northern pier reopens after repairs</h1>', '<h1>Harbour news</h1>'));
  assert.equal(headlineCandidate($, 'Northern pier reopens after repairs', elsewhere, 'https://x.test/'), undefined);
});
