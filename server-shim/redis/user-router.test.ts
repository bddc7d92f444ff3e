import { expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { until } from '../../test-support/until';
import { UserRouter } from './user-router';

const { connect } = useRedis();

async function node(name: string, liveMs = 15_000) {
  const pushes: string[] = [];
  const router = new UserRouter(
    await connect(),
    await connect(),
    name,
    (user, event, data) => pushes.push(`${user} ${event} ${String(data)}`),
    () => {},
    {
      liveMs,
    },
  );
  await router.start();
  return { router, pushes };
}

it('reaches a user on whichever instances hold their connections, and no longer once they left', async () => {
  const [a, b] = [await node('a'), await node('b')];
  await b.router.connected('ada');
  expect(await a.router.sendToUser('ada', 'note', 1)).toBe(1);
  await until(() => b.pushes.length === 1);
  expect(b.pushes).toEqual(['ada note 1']);
  expect(a.pushes).toEqual([]);

  await a.router.connected('ada'); // a second tab, through the other instance
  expect(await b.router.sendToUser('ada', 'note', 2)).toBe(2);
  await until(() => a.pushes.length === 1 && b.pushes.length === 2);

  await a.router.disconnected('ada');
  await b.router.disconnected('ada');
  expect(await a.router.sendToUser('ada', 'note', 3)).toBe(0);
  expect(await a.router.sendToUser('nobody', 'note', 4)).toBe(0);
  await a.router.stop();
  await b.router.stop();
});

it('drops the entries of an instance that stopped beating, instead of sending into the void', async () => {
  const alive = await node('alive');
  const dead = await node('dead', 100);
  await dead.router.connected('bob');
  await dead.router.stop(); // its liveness mark is gone, as after its heartbeat expired
  expect(await alive.router.sendToUser('bob', 'note', 1)).toBe(0);
  await alive.router.stop();
});
