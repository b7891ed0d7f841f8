import { createHash } from 'node:crypto';
import { loadDocuments } from '../policy/documentLoader';
import { parseSections } from '../policy/sectionParser';

/** What staff are asked to read: a document of the policy set, or a linked one (a guidance PDF). */
export interface AckDocument {
  /** Stable across versions: the file name, or the link. */
  key: string;
  title: string;
  source: 'policy' | 'link';
  fileName?: string;
  url?: string;
}

/** One version of it: the hash of its text, or of a linked file's bytes (see readLinkVersion). */
export interface DocumentVersion {
  version: string;
  headings: string[];
  /** The sections in full, for the "show the full text" follow-up card. */
  sections: Array<{ heading: string; text: string }>;
  /** A link Lantern could not read: why. Its version is then a hash of the address only. */
  unread?: string;
}

export function versionOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n').trim()).digest('hex').slice(0, 12);
}

/** How a linked document is fetched to hash its content. */
export interface LinkFetch {
  timeoutMs: number;
  maxBytes: number;
  /** Hosts that may be fetched over plain http (a test's local server); every other link is https only. */
  httpHosts: string[];
}

export const LINK_FETCH: LinkFetch = { timeoutMs: 5000, maxBytes: 25 * 1024 * 1024, httpHosts: [] };
const MAX_REDIRECTS = 5;

const HTTPS = /^https:\/\/[^\s/$.?#][^\s]*$/i;
const HTTP = /^http:\/\/[^\s/$.?#][^\s]*$/i;

/** A link staff can be asked to read: https, or http to a host `httpHosts` allows. */
export function isLink(text: string, httpHosts: string[] = []): boolean {
  const t = text.trim();
  if (HTTPS.test(t)) return true;
  if (!HTTP.test(t) || !httpHosts.length) return false;
  try {
    return httpHosts.includes(new URL(t).hostname);
  } catch {
    return false;
  }
}

export function linkedDocument(url: string, title?: string): AckDocument {
  const clean = url.trim();
  return { key: clean, title: title?.trim() || new URL(clean).pathname.split('/').filter(Boolean).pop() || new URL(clean).host, source: 'link', url: clean };
}

class Unreadable extends Error {}

/** The document's bytes: https only (redirects too), at most `maxBytes`, within `timeoutMs` in all. */
async function fetchCapped(url: string, options: LinkFetch): Promise<Buffer> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let at = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!isLink(at, options.httpHosts)) throw new Unreadable('it moved to an address that is not https');
    const res = await fetch(at, { redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      at = new URL(location, at).toString();
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Unreadable(`its server answered ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length'));
    if (declared > options.maxBytes) {
      await res.body?.cancel();
      throw new Unreadable(`it is larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = res.body?.getReader();
    for (;;) {
      const part = await reader?.read();
      if (!part || part.done) break;
      size += part.value.length;
      if (size > options.maxBytes) {
        await reader!.cancel();
        throw new Unreadable(`it is larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB`);
      }
      chunks.push(Buffer.from(part.value));
    }
    return Buffer.concat(chunks);
  }
  throw new Unreadable('it redirects too many times');
}

/**
 * A linked document's version: a hash of its content when Lantern can fetch it, so the same file
 * at the same address is the same version and a changed file is a new one. When it cannot (not
 * reachable, too large, too slow, an error page), a hash of its address, with the reason, which
 * the lead is shown: that version does not change when the file does.
 */
export async function readLinkVersion(doc: AckDocument, options: LinkFetch = LINK_FETCH): Promise<DocumentVersion> {
  const url = doc.url ?? doc.key;
  try {
    const bytes = await fetchCapped(url, options);
    return { version: createHash('sha256').update(bytes).digest('hex').slice(0, 12), headings: [], sections: [] };
  } catch (err) {
    const reason = err instanceof Unreadable ? err.message : (err as Error).name === 'TimeoutError' ? `it did not arrive within ${options.timeoutMs / 1000} s` : 'it could not be reached';
    return { version: versionOf(url), headings: [], sections: [], unread: reason };
  }
}

const norm = (s: string) => s.toLowerCase().replace(/\.[a-z]+$/, '').replace(/[^a-z0-9]+/g, ' ').trim();

/** The policy set as it is now on disk: every document with its current version. */
export class PolicySet {
  private constructor(private readonly docs: Array<{ doc: AckDocument; version: DocumentVersion }>) {}

  static async read(folder: string | undefined): Promise<PolicySet> {
    if (!folder) return new PolicySet([]);
    const { documents } = await loadDocuments(folder);
    return new PolicySet(
      documents.map((d) => {
        const sections = parseSections(d.text).sections.map((s) => ({ heading: s.number ? `${s.number} ${s.title}` : s.title, text: s.text }));
        return {
          doc: { key: d.fileName, title: d.title, source: 'policy' as const, fileName: d.fileName },
          version: { version: versionOf(d.text), headings: sections.map((s) => s.heading), sections },
        };
      }),
    );
  }

  titles(): AckDocument[] {
    return this.docs.map((d) => d.doc);
  }

  byKey(key: string): { doc: AckDocument; version: DocumentVersion } | undefined {
    return this.docs.find((d) => d.doc.key === key);
  }

  /** What someone typed: a title or file name, whole or the start of it ("staff acceptable use"). */
  match(typed: string): Array<{ doc: AckDocument; version: DocumentVersion }> {
    const wanted = norm(typed);
    if (!wanted) return [];
    const exact = this.docs.filter((d) => norm(d.doc.title) === wanted || norm(d.doc.fileName ?? '') === wanted);
    if (exact.length) return exact;
    return this.docs.filter((d) => norm(d.doc.title).includes(wanted) || norm(d.doc.fileName ?? '').includes(wanted));
  }
}
