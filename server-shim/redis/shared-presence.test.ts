import { expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { SharedPresence } from './shared-presence';

const { connect } = useRedis();
async function instance() {
  return new SharedPresence(await connect(), { expiryMs: 15_000 });
}

it('lists a user once however many tabs and instances, joining with the first connection and leaving with the last', async () => {
  const [a, b] = [await instance(), await instance()];
  expect(await a.join('room', 'a:1', 'ada', { name: 'Ada' })).toBe(true);
  expect(await a.join('room', 'a:2', 'ada', { name: 'Ada' })).toBe(false); // a second tab
  expect(await b.join('room', 'b:1', 'ada', { name: 'Ada' })).toBe(false); // through another instance
  expect(await b.join('room', 'b:2', 'bob', { name: 'Bob' })).toBe(true);
  expect((await a.members('room')).sort((x, y) => x.key.localeCompare(y.key))).toEqual([
    { key: 'ada', data: { name: 'Ada' } },
    { key: 'bob', data: { name: 'Bob' } },
  ]);
  expect(await a.leave('room', ['a:1', 'a:2'])).toEqual([]); // still there through b
  expect(await b.leave('room', ['b:1'])).toEqual(['ada']);
  expect(await b.leave('room', ['b:1'])).toEqual([]); // twice is once
  expect(await a.members('room')).toEqual([{ key: 'bob', data: { name: 'Bob' } }]);
});

it('lets the users of an instance that stopped refreshing leave at the next sweep after their expiry', async () => {
  const [alive, dead] = [await instance(), await instance()];
  const t0 = 1_000_000;
  await alive.join('hall', 'alive:1', 'ada', {}, t0);
  await dead.join('hall', 'dead:1', 'bob', {}, t0);
  await dead.join('hall', 'dead:2', 'ada', {}, t0); // Ada has a tab on the dead instance too
  await alive.refresh('hall', ['alive:1'], t0 + 10_000); // the live instance keeps its connections listed
  expect(await alive.sweep('hall', t0 + 14_000)).toEqual([]); // not yet expired
  expect(await alive.sweep('hall', t0 + 15_001)).toEqual(['bob']); // within 15 s of the dead instance's last refresh
  expect((await alive.members('hall')).map((member) => member.key)).toEqual(['ada']);
});
