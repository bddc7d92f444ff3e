// One shim process of the failover test's cluster, from the built package (what users install).
// argv: engine Redis URL, app database Redis URL, key prefix. Prints `listening <port>` when up.
import { createClient } from '@redis/client';
import { createServer, stream } from '../dist/server.js';
import { redisEngine } from '../dist/redis.js';

const [engineUrl, databaseUrl, prefix] = process.argv.slice(2);
const database = createClient({ url: databaseUrl });
await database.connect();

const api = {
  items: {
    // The room's items, as the app's database has them.
    list: stream(
      (_ctx, room) => room,
      async (_ctx, room) => (await database.hVals(`items:${room}`)).map((item) => JSON.parse(item)),
    ),
    // A keyed write: stored, then published; the reply waits for the publish to be sequenced. The
    // store is idempotent by id: a call cut short by a dying process runs again elsewhere.
    add: async (ctx, room, item) => {
      await database.hSet(`items:${room}`, item.id, JSON.stringify(item));
      await ctx.publishConfirmed(room, 'created', item);
      return item;
    },
  },
};

const server = createServer({
  api,
  engine: redisEngine({ url: engineUrl, prefix }),
  authenticate: ({ query }) => ({ id: new URLSearchParams(query).get('user') ?? 'anonymous' }),
  presence: { topics: (topic) => topic.startsWith('room'), select: (user) => ({ name: user.id }), leaveGraceMs: 0 },
  // Hundreds of clients come through one loopback proxy address.
  rateLimit: { upgradesPerIp: false },
  logger: { info() {}, debug() {}, warn() {}, error: (...args) => console.error(...args) },
});
const port = await server.listen(0);
console.log(`listening ${port}`);
