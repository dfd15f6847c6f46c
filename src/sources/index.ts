import type { ChannelConfig } from '../config/schema.js';
import type { FeedItem, FetchedDocument } from '../types.js';
import { parseFeed } from './feed.js';
import { parseJsonListing } from './json-listing.js';
import { parseListing } from './listing.js';
import { readSitemap, type SitemapIo } from './sitemap.js';

export { createDateParser, parseFeedDate } from './dates.js';
export { type ParsedFeed, parseFeed } from './feed.js';
export { type JsonListingOptions, parseJsonListing } from './json-listing.js';
export { type ListingSelectors, parseListing } from './listing.js';
export { type Pick, parsePicks } from './picks.js';
export {
  isSitemap,
  type ParsedSitemap,
  parseSitemap,
  readSitemap,
  SITEMAP_LIMITS,
  type SitemapIo,
  type SitemapRead,
} from './sitemap.js';

/** The URL a channel reads. */
export function channelSourceUrl(channel: ChannelConfig): string {
  return channel.feed ?? channel.sitemap?.url ?? channel.listing?.url ?? channel.jsonListing?.url ?? '';
}

export interface ChannelRead {
  /** The channel's own document as fetched (`notModified`: nothing changed since last time). */
  doc: FetchedDocument;
  /** Every document fetched with a body: the caller keeps their validators. */
  documents: FetchedDocument[];
  items: FeedItem[];
  /** Entries the source lists that could not be read and were left out (a feed's `skipped`). */
  skipped?: { count: number; reason: string } | undefined;
}

/**
 * Fetches a channel's source (conditionally, with the validators `io` remembers) and reads
 * its entries: one document for a feed or listing, a sitemap and the sitemaps it lists.
 * The fetching is the caller's (`io`); `sync` keeps the validators, `check` passes none.
 */
export async function fetchChannel(channel: ChannelConfig, timezone: string, io: SitemapIo): Promise<ChannelRead> {
  if (channel.sitemap) {
    const read = await readSitemap(channel.sitemap.url, io, timezone, channel.sitemap.maxDepth);
    return { doc: read.doc, documents: read.documents, items: read.items };
  }
  const url = channelSourceUrl(channel);
  const doc = await io.fetch(url, io.validators(url));
  const documents = doc.notModified ? [] : [doc];
  if (channel.feed && !doc.notModified) {
    const { items, skipped } = parseFeed(doc.text, doc.finalUrl, timezone);
    return skipped ? { doc, documents, items, skipped } : { doc, documents, items };
  }
  return { doc, documents, items: readSource(doc, channel, timezone) };
}

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
