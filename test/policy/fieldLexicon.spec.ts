import assert from 'assert';
import { FIELD_LEXICON } from '../../bot/policy/fieldLexicon';
import { analyseQuestion, splitCompound } from '../../bot/policy/queryAnalysis';
import { contentTerms } from '../../bot/policy/savedAnswers';
import { expansionsFor } from '../../bot/policy/synonyms';
import { analyse, normaliseQuestion } from '../../bot/policy/textAnalysis';

describe('the field lexicon and staff wording', () => {
  const related = (phrase: string) => expansionsFor(analyse(phrase)).map((e) => e.tokens.join(' '));

  it('gives every entry a reason and at least two ways of saying it, none lost to the stop list', () => {
    for (const entry of FIELD_LEXICON) {
      const terms = entry.group.filter((t) => t !== '~');
      // The table drops a phrase that loses words when analysed ("safe in education"): it would never match.
      for (const t of terms) assert.equal(analyse(t.split(':')[0]).length, t.split(':')[0].split(/\s+/).length, `"${t}" loses words to the stop list`);
      assert.ok(terms.length >= 2, `${terms.join(', ')}: one term is not a synonym group`);
      assert.ok(entry.reason.length >= 30, `${terms[0]}: "${entry.reason}" does not say why`);
    }
  });

  it("maps the field's abbreviations to the words policies use", () => {
    assert.ok(related('lado').includes(analyse('designated officer').join(' ')));
    assert.ok(related('kcsie').includes(analyse('keeping children safe').join(' ')));
    assert.ok(related('aup').includes(analyse('acceptable use policy').join(' ')));
    assert.ok(related('ceop').includes(analyse('report button').join(' ')));
    assert.ok(related('slt').includes(analyse('senior leadership team').join(' ')));
    assert.ok(related('tas').includes(analyse('teaching assistants').join(' ')));
    assert.ok(related('ip address').includes(analyse('network identities').join(' ')));
    assert.ok(related('side business').includes(analyse('personal financial gain').join(' ')));
    assert.ok(related('google images').includes(analyse('copyright').join(' ')));
  });

  it('reads a year group as pupils, and not a year in general', () => {
    assert.match(normaliseQuestion('a yr 9 followed me on insta'), /\bpupils followed me on instagram\b/);
    assert.match(normaliseQuestion('my y10s keep using vpns'), /\bmy pupils keep\b/);
    assert.doesNotMatch(normaliseQuestion('we kept records for a year'), /pupils/);
  });

  it('compares saved questions by content, not wording', () => {
    const same = (a: string, b: string) => {
      const A = new Set(contentTerms(a));
      const B = contentTerms(b);
      return B.filter((t) => A.has(t)).length / new Set([...A, ...B]).size;
    };
    assert.ok(same('can i post pics of kids on insta', 'posting pictures of students on insta ok?') >= 0.75);
    assert.ok(same('usb stick allowed?', 'can i use a memory stick') >= 0.75);
    assert.ok(same('can i use whatsapp to message parents', 'who approves a filter change') === 0);
    assert.ok(analyseQuestion('who do i tell', new Set()).length > 0);
  });

  it('reads a compound as the two words the policies use, and two words as the compound they use', () => {
    const vocabulary = new Set(analyse('anti-virus software, screen saver, screensavers and passwords'));
    assert.deepEqual(splitCompound('antivirus', vocabulary), ['anti', 'virus']);
    assert.deepEqual(splitCompound('screensaver', vocabulary), analyse('screen saver'));
    // A word of the vocabulary's own letters that is not two of its words stays whole.
    assert.equal(splitCompound('software', vocabulary), undefined);
    const joined = analyseQuestion('can i change my screen savers', new Set(analyse('personal photos, screensavers or wallpaper'))).find((c) => c.label === 'screen savers');
    assert.deepEqual(joined?.variants[0].tokens, analyse('screensavers'));
  });

  it('reads "take my phone off me" as confiscating it, whose particle would otherwise be lost as a stop word', () => {
    assert.match(normaliseQuestion('can the school take my phone off me'), /\bconfiscate my phone\b/);
    assert.match(normaliseQuestion('should i take it off him'), /\bconfiscate it\b/);
    assert.doesNotMatch(normaliseQuestion('can i take the day off'), /confiscate/);
  });
});
