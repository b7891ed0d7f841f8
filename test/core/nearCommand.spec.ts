import assert from 'node:assert/strict';
import { nearCommand } from '../../bot/chat/nearCommand';

describe('nearCommand', () => {
  const commands = ['help', 'report an incident', 'request a filter change', 'log tutor session', 'register'];

  it('suggests the command a short message was probably meant to be', () => {
    assert.equal(nearCommand('hlep', commands), 'help');
    assert.equal(nearCommand('reprot an incidnet', commands), 'report an incident');
    assert.equal(nearCommand('log tutor sesion', commands), 'log tutor session');
    assert.equal(nearCommand('regster', commands), 'register');
  });

  it('leaves real questions and exact commands alone', () => {
    assert.equal(nearCommand('help', commands), undefined);
    assert.equal(nearCommand('can I use my phone in class', commands), undefined);
    assert.equal(nearCommand('hello', commands), undefined);
    assert.equal(nearCommand('usb sticks ok', commands), undefined);
  });
});
