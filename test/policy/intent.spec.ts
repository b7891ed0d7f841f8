import assert from 'assert';
import { childInDanger, nextSteps } from '../../bot/policy/intent';

describe('policy intent', () => {
  describe('childInDanger', () => {
    const danger = [
      'a pupil told me her stepdad hits her',
      'I think a child in my class is in immediate danger',
      'year 9 student says he wants to kill himself',
      'a girl in my tutor group has been self-harming',
      'pupil has gone missing from school',
      'my tutee says she is going to meet a man she met online tonight',
      'student is not safe to go home',
      'one of my pupils is being abused by an adult',
    ];
    const safe = [
      'teaching the dangers of the internet',
      'can i use whatsapp to msg parents?',
      'what are the risks of social media for year 7',
      'lesson resources about online danger',
      'how do i get a site unblocked',
      'usb stick allowed?',
      'missing charger for my laptop',
    ];
    for (const text of danger) it(`flags "${text}"`, () => assert.strictEqual(childInDanger(text), true));
    for (const text of safe) it(`does not flag "${text}"`, () => assert.strictEqual(childInDanger(text), false));
  });

  describe('nextSteps', () => {
    it('offers an incident report for things that must be reported', () => {
      for (const text of [
        'a kid showed me porn on his phone',
        'a pupil disclosed abuse to me',
        'I lost my school laptop on the train',
        'pupil being cyberbullied on snapchat',
        'I received an abusive email from a parent',
        'student using a vpn to get round the filter',
        'sent a spreadsheet of pupil data to the wrong parent',
      ]) assert.deepStrictEqual(nextSteps(text), ['report-incident'], text);
    });

    it('offers a filter change for unblocking or blocking a site', () => {
      for (const text of ['how do i get a site unblocked', 'can youtube be unblocked for year 10', 'please block this website', 'request a filter change for a category']) {
        assert.deepStrictEqual(nextSteps(text), ['filter-change'], text);
      }
    });

    it('offers nothing for ordinary questions', () => {
      for (const text of ['can i use whatsapp to msg parents?', 'usb stick allowed?', 'what should my password be']) assert.deepStrictEqual(nextSteps(text), [], text);
    });
  });
});
