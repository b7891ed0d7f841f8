import { loadDocuments } from '../policy/documentLoader';
import { parseSections } from '../policy/sectionParser';

export interface PolicySummary {
  folder: string;
  documents: Array<{ title: string; sections: number }>;
  sections: number;
}

/** What the policy folder holds, counted as the policy index reads it (without building one). */
export async function summarisePolicies(folder: string | undefined): Promise<PolicySummary> {
  // Same rule as the policy capability: no POLICY_DIR outside the example school is "not set up".
  if (!folder) return { folder: 'not set up (set POLICY_DIR to the school\'s policy folder)', documents: [], sections: 0 };
  const { documents } = await loadDocuments(folder);
  const counted = documents.map((d) => ({ title: d.title, sections: parseSections(d.text).sections.length }));
  return { folder, documents: counted, sections: counted.reduce((n, d) => n + d.sections, 0) };
}
