/**
 * `npm run policies:check -- <dir>`: shows how Lantern reads a school's policy folder (documents, sections,
 * warnings) so whoever installs it can fix a badly exported file before staff start asking questions.
 */
import path from 'path';
import { PolicyLibrary } from './policyLibrary';

const LONG_SECTION_CHARS = 2500;

async function main(): Promise<number> {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npm run policies:check -- <policy folder>');
    return 2;
  }
  const library = await PolicyLibrary.fromDirectory(path.resolve(dir));
  const sections = library.sections();
  for (const doc of library.documents()) {
    console.log(`\n${doc.title}  (${doc.fileName}, ${doc.sections} sections)`);
    for (const s of sections.filter((x) => x.fileName === doc.fileName)) {
      const flag = s.chars > LONG_SECTION_CHARS ? '  <- very long' : '';
      console.log(`  ${(s.number || '-').padEnd(12)} ${s.title.slice(0, 70).padEnd(70)} ${String(s.chars).padStart(6)} chars${flag}`);
    }
  }
  const warnings = library.warnings();
  console.log(`\n${library.documents().length} documents, ${sections.length} sections, built in ${library.buildMs.toFixed(0)} ms`);
  if (warnings.length > 0) {
    console.log(`\nWarnings (${warnings.length}):`);
    for (const w of warnings) console.log(`  - ${w}`);
  }
  return library.documents().length === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
