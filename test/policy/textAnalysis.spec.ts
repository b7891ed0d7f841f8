import assert from 'assert';
import { analyse, editDistance, normalise, normaliseQuestion, splitSentences, stemWord } from '../../bot/policy/textAnalysis';
import { DEFAULT_SYNONYMS, expansionsFor } from '../../bot/policy/synonyms';
import { analyseQuestion } from '../../bot/policy/queryAnalysis';

describe('policy textAnalysis', () => {
  it('normalises spelling variants before tokenising', () => {
    assert.strictEqual(normalise("E-mail the Wi-Fi team’s on-line form"), 'email the wifi team online form');
    assert.deepStrictEqual(analyse('1-1 calls and one-to-one calls'), analyse('onetoone call and onetoone call'));
    assert.ok(analyse('Ask IT support').includes('ict'), 'the IT department survives as a term');
    assert.deepStrictEqual(analyse("Don't open attachments"), ['open', 'attach']);
  });

  it('stems regular and irregular forms alike', () => {
    assert.strictEqual(stemWord('pupils'), stemWord('pupil'));
    assert.strictEqual(stemWord('brought'), stemWord('bringing'));
    assert.strictEqual(stemWord('taken'), stemWord('take'));
  });

  it('keeps apart words the stemmer would cut down to another word', () => {
    assert.strictEqual(stemWord('evenings'), stemWord('evening'));
    assert.notStrictEqual(stemWord('evenings'), stemWord('even'));
    assert.notStrictEqual(stemWord('business'), stemWord('busy'));
    assert.notStrictEqual(stemWord('authority'), stemWord('author'));
    assert.notStrictEqual(stemWord('officers'), stemWord('office'));
  });

  it('splits sentences without breaking on abbreviations', () => {
    assert.deepStrictEqual(splitSentences('Use school kit, e.g. iPads. Never use your phone. Ask Mr. Jones!'), ['Use school kit, e.g. iPads.', 'Never use your phone.', 'Ask Mr. Jones!']);
  });

  it('bounds edit distance', () => {
    assert.strictEqual(editDistance('pasword', 'password', 2), 1);
    assert.ok(editDistance('bank', 'filter', 1) > 1);
    // A swap of neighbouring letters is one typo.
    assert.strictEqual(editDistance('recieve', 'receive', 2), 1);
  });

  it('reads text-speak and common misspellings as the words meant', () => {
    assert.deepStrictEqual(analyse('recieved horrible msgs and pics on insta'), analyse('received horrible messages and pictures on instagram'));
    assert.deepStrictEqual(analyse('my ex-students'), analyse('my former students'));
    assert.deepStrictEqual(analyse('cos the wifi is down'), analyse('the wifi outage'));
    assert.deepStrictEqual(analyse('personal internet use'), analyse('personal use of internet'));
  });

  it('rewrites everyday question phrasings, but never the policies', () => {
    assert.ok(analyse(normaliseQuestion('are my emails being read')).includes(stemWord('monitored')));
    assert.ok(!analyse('This policy should be read with the others').includes(stemWord('monitored')));
    assert.ok(analyse(normaliseQuestion('a pupil sent it round')).includes(stemWord('circulate')));
  });
});

describe('policy synonyms and question analysis', () => {
  const related = (phrase: string) => expansionsFor(analyse(phrase)).map((e) => e.tokens.join(' '));

  it('expands everyday words to policy vocabulary', () => {
    assert.ok(related('memory stick').includes(analyse('removable media').join(' ')));
    assert.ok(related('whatsapp').includes(analyse('instant messaging').join(' ')));
    assert.ok(related('unblock').includes(analyse('whitelist').join(' ')));
    assert.ok(related('kids').includes(analyse('pupil').join(' ')));
    assert.ok(related('carer').includes(analyse('parent').join(' ')));
    assert.ok(related('vpn').includes(analyse('bypass').join(' ')));
    assert.ok(DEFAULT_SYNONYMS.maxPhraseLength >= 3);
  });

  it('weights synonyms below the words actually typed', () => {
    const [concept] = analyseQuestion('usb stick', new Set(['usb', 'stick']));
    assert.strictEqual(concept.variants[0].weight, 1);
    assert.ok(concept.variants.slice(1).every((v) => v.weight < 1));
  });

  it('ignores question filler and corrects typos against the policy vocabulary', () => {
    const concepts = analyseQuestion('is it ok to share my pasword', new Set(['share', 'password']));
    assert.deepStrictEqual(concepts.map((c) => c.variants[0].tokens[0]), ['share', 'password']);
    // Short words are never "corrected": "bank" is not a typo for "back".
    const banking = analyseQuestion('banking', new Set(['back']));
    assert.strictEqual(banking[0].variants[0].tokens[0], 'bank');
  });

  it('tells topic words from everyday ones', () => {
    assert.ok(DEFAULT_SYNONYMS.topical.has(analyse('memory stick').join(' ')));
    assert.ok(DEFAULT_SYNONYMS.topical.has(analyse('password').join(' ')));
    assert.ok(DEFAULT_SYNONYMS.everyday.has(analyse('parent').join(' ')));
    assert.ok(!DEFAULT_SYNONYMS.topical.has(analyse('lunchtime').join(' ')));
  });

  it('counts light verbs for less than the words they govern', () => {
    const [taking, photos] = analyseQuestion('taking photos', new Set(['take', 'photo']));
    assert.ok((taking.importance ?? 1) < 1);
    assert.strictEqual(photos.importance ?? 1, 1);
  });

  it('adds the kind of answer a question asks for', () => {
    const labels = analyseQuestion('what happens if I break the rules', new Set()).map((c) => c.label);
    assert.ok(labels.includes('consequence'));
    const label = (q: string) => analyseQuestion(q, new Set()).map((c) => c.label);
    assert.ok(label('do i have to record calls').includes('obligation'));
    assert.ok(label('left my laptop on the train').includes('loss'));
    assert.ok(!label('where do lost umbrellas go').includes('loss'));
    assert.ok(label('a parent keeps sending me abusive texts').includes('incident'));
    // "how long" asks for a duration, so "long" no longer reads as a size.
    assert.ok(label('how long can we keep photos of pupils').includes('duration'));
    assert.ok(!label('how long can we keep photos of pupils').includes('long'));
    assert.ok(!label('a long email to parents').includes('duration'));
    assert.ok(label('when is it ok to use my own phone').includes('exception'));
    assert.ok(label('any exceptions to the phone rule').includes('exception'));
    assert.ok(!label('when is the next inset day').includes('exception'));
  });

  it('knows the everyday words staff use for the policies\' formal ones', () => {
    assert.ok(related('hacked').includes(analyse('compromised').join(' ')));
    assert.ok(related('horrible').includes(analyse('abusive').join(' ')));
    assert.ok(related('lunch').includes(analyse('lunchtime').join(' ')));
    assert.ok(related('accusation').includes(analyse('allegation').join(' ')));
    assert.ok(related('complain').includes(analyse('disrepute').join(' ')));
  });

  it('treats a lost device as a topic of its own', () => {
    const loss = analyseQuestion('i lost a memory stick', new Set()).find((c) => c.label === 'loss');
    assert.strictEqual(loss?.topic, true);
  });
});
