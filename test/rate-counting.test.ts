/**
 * The counting under the spam limits: a sliding window per key that stays bounded in memory, and
 * the address a registration counts against (an IPv6 /64 is one subscriber).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlidingWindow } from '../src/core/sliding-window.js';
import { addressBucket } from '../src/node/spam-guard.js';

describe('a sliding window', () => {
  const window = () => new SlidingWindow({ limit: 3, windowMs: 1000, maxKeys: 2 });

  it('allows the limit of events in a window and says how long to wait for the next', () => {
    const w = window();
    for (const at of [0, 100, 200]) {
      assert.equal(w.wait('a', at), 0);
      w.hit('a', at);
    }
    assert.equal(w.wait('a', 300), 700);
    assert.equal(w.wait('b', 300), 0);
  });

  it('frees a slot as the oldest event leaves the window', () => {
    const w = window();
    for (const at of [0, 100, 200]) w.hit('a', at);
    assert.equal(w.wait('a', 1000), 0);
    w.hit('a', 1000);
    assert.equal(w.wait('a', 1050), 50);
  });

  it('tracks at most maxKeys keys, forgetting the one touched longest ago', () => {
    const w = window();
    for (const at of [0, 1, 2]) w.hit('a', at);
    for (const at of [3, 4, 5]) w.hit('b', at);
    w.hit('c', 6);
    assert.equal(w.size, 2);
    assert.equal(w.wait('a', 7), 0);
    assert.ok(w.wait('b', 7) > 0);
  });

  it('drops keys whose events have all left the window', () => {
    const w = window();
    w.hit('a', 0);
    assert.equal(w.wait('a', 1000), 0);
    assert.equal(w.size, 0);
  });

  it('allows nothing with a limit of 0', () => {
    const w = new SlidingWindow({ limit: 0, windowMs: 1000, maxKeys: 2 });
    assert.ok(w.wait('a', 0) > 0);
  });
});

describe('the address a limit counts against', () => {
  it('is an IPv4 address as it is, also when mapped into IPv6', () => {
    assert.equal(addressBucket('203.0.113.7'), '203.0.113.7');
    assert.equal(addressBucket('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it("is an IPv6 address's /64, however it is written", () => {
    const a = addressBucket('2001:db8:0:1::5');
    assert.equal(a, '2001:db8:0:1::/64');
    assert.equal(addressBucket('2001:0db8:0000:0001:ffff:1:2:3'), a);
    assert.equal(addressBucket('2001:DB8:0:1:0:0:0:9'), a);
    assert.notEqual(addressBucket('2001:db8:0:2::5'), a);
    assert.equal(addressBucket('::1'), '0:0:0:0::/64');
  });
});
