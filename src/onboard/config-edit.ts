/**
 * Adding an outlet to a hand-written config without disturbing it. The file is parsed with
 * `yaml`'s `parseDocument` (which keeps every node's place in the text), the new outlet is
 * written as YAML text indented like the existing `outlets:` entries, and spliced in after
 * the last of them: every byte outside the inserted lines stays as it was, comments, blank
 * lines, quoting and key spacing included. Re-serialising the whole document would lose some
 * of that, so the document is only re-serialised when `outlets:` is not a block list
 * (`outlets: []`), where there are no entries to line up with.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { ErrorCodes, MirrorError } from '../errors.js';

/** An outlet as written to the config (only the keys `add` sets). */
export interface NewOutlet {
  name: string;
  prefix: string;
  timezone?: string | undefined;
  channels: NewChannel[];
}

export type NewChannel = { id: string; name: string } & ({ feed: string } | { sitemap: string });

/** The placeholder outlet `newsmirror init` writes: replaced by the first outlet added. */
export const STARTER_OUTLET = 'Example Daily';
const STARTER_HOSTS = /^(www\.)?example\.(com|org)$/;

function parse(text: string, file: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new MirrorError(ErrorCodes.ConfigSyntax, `${file}: ${doc.errors[0]?.message}`, {
      hint: 'fix the YAML first; `add` edits a config it can read',
    });
  }
  return doc;
}

const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
const indentOf = (line: string) => /^ */.exec(line)?.[0].length ?? 0;

/**
 * Where the text of a block-list entry ends: after the end of its node, and after the
 * comment lines indented under it that follow (the starter's commented-out channels).
 */
function entryEnd(text: string, nodeEnd: number, dashIndent: number): number {
  let pos = nodeEnd;
  if (pos > 0 && text[pos - 1] !== '\n') {
    const nl = text.indexOf('\n', pos);
    pos = nl < 0 ? text.length : nl + 1;
  }
  let scan = pos;
  while (scan < text.length) {
    const nl = text.indexOf('\n', scan);
    const line = text.slice(scan, nl < 0 ? text.length : nl);
    const next = nl < 0 ? text.length : nl + 1;
    if (line.trim() === '') {
      scan = next;
      continue;
    }
    if (line.trimStart().startsWith('#') && indentOf(line) > dashIndent) {
      scan = next;
      pos = next;
      continue;
    }
    break;
  }
  return pos;
}

type Ranged = { range?: [number, number, number] | null | undefined };

/**
 * Where a node's own text ends. Not its `range`: `yaml` counts the comments that follow a
 * block collection (even those at column 0, above the next key) as part of it.
 */
function contentEnd(node: unknown): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1);
    if (isMap(node)) {
      const pair = last as { key: unknown; value: unknown };
      return contentEnd(pair.value ?? pair.key);
    }
    return contentEnd(last);
  }
  return (node as Ranged)?.range?.[1] ?? 0;
}

/** The outlet as YAML lines of a block list whose dashes are at `dashIndent`. */
function renderOutlet(outlet: NewOutlet, dashIndent: number, comment: string): string {
  const yaml = new Document([outlet]).toString({ lineWidth: 0 });
  const pad = ' '.repeat(dashIndent);
  const lines = yaml.replace(/\n$/, '').split('\n');
  return `${pad}# ${comment}\n${lines.map((l) => `${pad}${l}`).join('\n')}\n`;
}

function isStarterOutlet(node: unknown): boolean {
  if (!isMap(node)) return false;
  const name = node.get('name');
  const channels = node.get('channels');
  if (name !== STARTER_OUTLET || !isSeq(channels)) return false;
  return channels.items.every((ch) => {
    if (!isMap(ch)) return false;
    const raw = ch.get('feed') ?? (ch.get('listing', true) as { get?: (k: string) => unknown })?.get?.('url');
    try {
      return typeof raw === 'string' && STARTER_HOSTS.test(new URL(raw).hostname);
    } catch {
      return false;
    }
  });
}

export interface AppendResult {
  text: string;
  /** The starter's placeholder outlet was taken out. */
  replacedStarter: boolean;
}

/**
 * `text` with `outlet` appended to `outlets:` (or its channels appended to the outlet named
 * `into`), and a comment line saying where it came from. The starter's placeholder outlet
 * (Example Daily on example.com) is taken out when it is still there, as `sync` could never
 * fetch it.
 */
export function appendOutlet(text: string, outlet: NewOutlet, comment: string, file = '<config>'): AppendResult {
  const doc = parse(text, file);
  const outlets = doc.get('outlets', true);
  if (into(doc, outlet)) return { text: appendChannels(text, doc, outlet, comment, file), replacedStarter: false };
  if (!isSeq(outlets) || outlets.flow || outlets.items.length === 0) {
    // No block list to line up with: edit the document and write it back.
    if (outlets === undefined || isScalar(outlets) || (isSeq(outlets) && outlets.items.length === 0)) {
      doc.set('outlets', doc.createNode([outlet]));
    } else doc.addIn(['outlets'], doc.createNode(outlet));
    return { text: doc.toString(), replacedStarter: false };
  }
  const seq = outlets as YAMLSeq;
  const first = seq.items[0] as { range?: [number, number, number] };
  const firstRange = first.range ?? [0, 0, 0];
  const dashIndent = text.slice(lineStart(text, firstRange[0]), firstRange[0]).indexOf('-');
  const last = seq.items.at(-1) as { range?: [number, number, number] };
  let at = entryEnd(text, contentEnd(last), dashIndent);
  let out = text;
  let replacedStarter = false;
  const starter = seq.items.find(isStarterOutlet) as { range?: [number, number, number] } | undefined;
  if (starter?.range) {
    const from = lineStart(text, starter.range[0]);
    const to = entryEnd(text, contentEnd(starter), dashIndent);
    out = text.slice(0, from) + text.slice(to);
    if (at >= to) at -= to - from;
    else if (at > from) at = from;
    replacedStarter = true;
  }
  const before = at > 0 && out[at - 1] !== '\n' ? '\n' : '';
  out = `${out.slice(0, at)}${before}${renderOutlet(outlet, Math.max(0, dashIndent), comment)}${out.slice(at)}`;
  check(out, file, (d) => {
    const list = (d.toJS() as { outlets?: unknown[] }).outlets;
    return JSON.stringify(list?.at(-1)) === JSON.stringify(outlet);
  });
  return { text: out, replacedStarter };
}

/** The outlet of the config with the new outlet's name, if there is one. */
function into(doc: ReturnType<typeof parseDocument>, outlet: NewOutlet): boolean {
  const outlets = doc.get('outlets', true);
  return isSeq(outlets) && outlets.items.some((o) => isMap(o) && o.get('name') === outlet.name);
}

/** Channels appended to an existing outlet's block list of channels. */
function appendChannels(
  text: string,
  doc: ReturnType<typeof parseDocument>,
  outlet: NewOutlet,
  comment: string,
  file: string,
): string {
  const outlets = doc.get('outlets', true) as YAMLSeq;
  const target = outlets.items.find((o) => isMap(o) && o.get('name') === outlet.name);
  const channels = isMap(target) ? target.get('channels', true) : undefined;
  if (!isSeq(channels) || channels.flow || channels.items.length === 0) {
    for (const ch of outlet.channels) doc.addIn(['outlets', outlets.items.indexOf(target), 'channels'], ch);
    return doc.toString();
  }
  const first = channels.items[0] as { range?: [number, number, number] };
  const r0 = first.range?.[0] ?? 0;
  const dashIndent = text.slice(lineStart(text, r0), r0).indexOf('-');
  const last = channels.items.at(-1) as { range?: [number, number, number] };
  const at = entryEnd(text, contentEnd(last), dashIndent);
  const pad = ' '.repeat(dashIndent);
  const yaml = new Document(outlet.channels)
    .toString({ lineWidth: 0 })
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${pad}${l}`)
    .join('\n');
  const before = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  const out = `${text.slice(0, at)}${before}${pad}# ${comment}\n${yaml}\n${text.slice(at)}`;
  check(out, file, (d) => {
    const list = d.getIn(['outlets', outlets.items.indexOf(target), 'channels'], true);
    return isSeq(list) && list.items.length === channels.items.length + outlet.channels.length;
  });
  return out;
}

function check(text: string, file: string, ok: (doc: ReturnType<typeof parseDocument>) => boolean): void {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !ok(doc)) {
    throw new MirrorError(ErrorCodes.Internal, `could not add the outlet to ${file} without breaking its layout`, {
      hint: 'add the lines printed above to the config by hand, and report the config’s layout as a bug',
    });
  }
}
