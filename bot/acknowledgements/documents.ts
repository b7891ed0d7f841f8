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

/** One version of it: the hash of its text (of its address, for a link Lantern cannot read). */
export interface DocumentVersion {
  version: string;
  headings: string[];
  /** The sections in full, for the "show the full text" follow-up card. */
  sections: Array<{ heading: string; text: string }>;
}

export function versionOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n').trim()).digest('hex').slice(0, 12);
}

const HTTPS = /^https:\/\/[^\s/$.?#][^\s]*$/i;

export function isLink(text: string): boolean {
  return HTTPS.test(text.trim());
}

export function linkedDocument(url: string, title?: string): AckDocument {
  const clean = url.trim();
  return { key: clean, title: title?.trim() || new URL(clean).pathname.split('/').filter(Boolean).pop() || new URL(clean).host, source: 'link', url: clean };
}

export function linkVersion(doc: AckDocument): DocumentVersion {
  return { version: versionOf(doc.url ?? doc.key), headings: [], sections: [] };
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
