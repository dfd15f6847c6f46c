import type { ChannelConfig } from '../config/schema.js';
import type { FeedItem, FetchedDocument } from '../types.js';
import { parseFeed } from './feed.js';
import { parseJsonListing } from './json-listing.js';
import { parseListing } from './listing.js';

export { createDateParser, parseFeedDate } from './dates.js';
export { type ParsedFeed, parseFeed } from './feed.js';
export { type JsonListingOptions, parseJsonListing } from './json-listing.js';
export { type ListingSelectors, parseListing } from './listing.js';
export { type Pick, parsePicks } from './picks.js';

/**
 * The entries a channel's fetched document lists, read the way the channel is configured
 * (`feed`, `listing` or `jsonListing`). Links resolve against the URL after redirects.
 * A 304 lists nothing: the caller already has what it said last time.
 */
export function readSource(doc: FetchedDocument, channel: ChannelConfig, timezone: string): FeedItem[] {
  if (doc.notModified) return [];
  if (channel.listing) return parseListing(doc.text, doc.finalUrl, channel.listing, timezone);
  if (channel.jsonListing) return parseJsonListing(doc.text, doc.finalUrl, channel.jsonListing, timezone);
  return parseFeed(doc.text, doc.finalUrl, timezone).items;
}
