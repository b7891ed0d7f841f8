import assert from 'node:assert/strict';
import { localParts } from '../../../bot/calendar/schoolTime';
import { cardText, visibleText } from '../../support/cards';
import type { Harness } from '../../support/harness';
import { people } from '../../support/people';
import type { BenchScenario } from '../scenario';

/**
 * Tutor logs and 1-1 calls, round-robin: open the tutor form, save a log, plan an allowed call,
 * plan a call that needs permission (a request to the deputy head), and approve one.
 */
const pending: string[] = [];
const decided: string[] = [];

const today = () => localParts(new Date(), 'Europe/London');
const plan = (purpose: string, reason = '') => ({ kind: 'video', pupil: 'Bench Pupil', year: 'Year 9', purpose, department: '', date: today().date, time: '23:59', reason });

async function requestPermission(h: Harness, user: Parameters<Harness['click']>[0]): Promise<void> {
  const res = await h.click(user, 'call.plan', plan('academic-reason', 'Coursework feedback'));
  const text = cardText(res.body?.value);
  assert.match(text, /Needs permission first/);
  pending.push(/CALL-\d{8}-[0-9A-F]{6}/.exec(text)![0]);
}

export const scenario: BenchScenario = {
  name: 'tutoring',
  async setup(h, users) {
    await h.say(people.academicHead, 'hello');
    for (let i = 0; i < 40; i++) await requestPermission(h, users[i % users.length]);
  },
  async turn(h, user, i) {
    switch (i % 5) {
      case 0: {
        // Proactive answers to this teacher's permission requests may land in the same chat meanwhile.
        const replies = await h.say(user, 'log tutor session');
        assert.ok(replies.some((r) => /Log a tutor session/.test(visibleText(r))), 'the tutor form');
        return;
      }
      case 1: {
        const now = today();
        const res = await h.click(user, 'tutor.save', { id: '', group: '9B', date: now.date, time: now.time, mode: 'in-person', attended: 24, absentees: '', topic: 'Bench session', concern: 'false' });
        assert.match(cardText(res.body?.value), /Logged: 9B tutor session/);
        return;
      }
      case 2: {
        const res = await h.click(user, 'call.plan', plan('learning-enrichment'));
        assert.match(cardText(res.body?.value), /Allowed: this call can go ahead/);
        return;
      }
      case 3:
        return requestPermission(h, user);
      default: {
        // Once the prepared requests run out, re-clicking a decided one still reads, checks and answers.
        const id = pending.shift() ?? decided[i % Math.max(decided.length, 1)];
        const res = await h.click(people.academicHead, 'call.approve', { id });
        assert.match(cardText(res.body?.value), /Approved by Nick Grant/);
        decided.push(id);
      }
    }
  },
};
