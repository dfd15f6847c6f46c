/**
 * The building blocks the demo's articles are assembled from. Every story is
 * our own invention: fictional places, people and events, politically neutral.
 */

export interface TableSpec {
  caption: string;
  header: string[];
  rows: string[][];
}

/** One story: the parts that make it distinct. make-content.ts adds the rest. */
export interface Story {
  title: string;
  /** First paragraph: who, what, where. */
  lead: string;
  /** Second paragraph: the details. Its first sentence is set in bold on some articles. */
  detail: string;
  /** Who is quoted, with their role. */
  who: string;
  /** What they said (no closing punctuation for English quotes). */
  quote: string;
  /** Story-specific paragraphs after the quote. */
  more?: string[];
  table?: TableSpec;
  /** URL slug (outlet 3 only; otherwise made from the title). */
  slug?: string;
  /** A link to another story, as `channel:index` (0-based, in that channel's list). */
  see?: string;
  /** The link's text when the linked story is written in another script (default: its title). */
  seeText?: string;
  /** Inline pictures that replace the usual rotation (file names under /img/, incl. the test images). */
  gallery?: { image: string; caption: string }[];
  /** What changes in edition 2 of the demo origin (exactly one story has this). */
  edition2?: {
    title: string;
    /** ISO time of the update. */
    updated: string;
    /** Replaces the detail paragraph. */
    detail: string;
    /** Appended as the last paragraph. */
    added: string;
    table?: TableSpec;
  };
}

/** What one channel contributes besides its stories. */
export interface ChannelKit {
  id: string;
  name: string;
  description: string;
  stories: Story[];
  /** Generic paragraphs that fit any story of the channel. */
  background: string[];
  closing: string[];
  /** Headings put before the generic paragraphs. */
  headings: string[];
  /** Image rotation for lead pictures (file names under /img/). */
  images: string[];
}
