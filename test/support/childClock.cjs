'use strict';
/*
 * Test-only preload for a bot child process (`node --require`, added by botProcess.ts when a spec
 * asks for a clock; the bot itself knows nothing of it). The parent moves this process's clock
 * with an IPC message, so scheduled work (escalations, nudges, retries) falls due in a real
 * process. Only Date is shifted, by an offset: timers, HTTP and storage run in real time, as
 * fakeDate() does in-process.
 */
const RealDate = Date;
let offsetMs = 0;

function ShiftedDate(...args) {
  if (!new.target) return new RealDate(RealDate.now() + offsetMs).toString();
  return args.length === 0 ? new RealDate(RealDate.now() + offsetMs) : new RealDate(...args);
}
ShiftedDate.prototype = RealDate.prototype;
ShiftedDate.now = () => RealDate.now() + offsetMs;
ShiftedDate.parse = RealDate.parse;
ShiftedDate.UTC = RealDate.UTC;
globalThis.Date = ShiftedDate;

process.on('message', (message) => {
  if (!message || message.type !== 'clock' || typeof message.offsetMs !== 'number') return;
  offsetMs = message.offsetMs;
  process.send({ type: 'clock-set', offsetMs });
});
// The channel must not keep a stopping bot alive.
if (process.channel) process.channel.unref();
