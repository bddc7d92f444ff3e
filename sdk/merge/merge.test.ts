import { describe, expect, it } from 'vitest';
import { mergerFor } from './index';

function run(config: Parameters<typeof mergerFor>[0], initial: unknown, events: Array<[string, unknown]>) {
  const merger = mergerFor(config);
  const state = merger.init(initial);
  for (const [event, data] of events) merger.apply(state, event, data);
  return merger.view(state);
}

describe('crud', () => {
  const todos = [
    { id: 1, t: 'a' },
    { id: 2, t: 'b' },
    { id: 3, t: 'c' },
  ];

  it('appends created items and upserts a created item it already has', () => {
    expect(
      run({ strategy: 'crud' }, todos, [
        ['created', { id: 4, t: 'd' }],
        ['created', { id: 2, t: 'B' }],
      ]),
    ).toEqual([
      { id: 1, t: 'a' },
      { id: 2, t: 'B' },
      { id: 3, t: 'c' },
      { id: 4, t: 'd' },
    ]);
  });

  it('updates in place without moving the item', () => {
    expect(run({ strategy: 'crud' }, todos, [['updated', { id: 1, t: 'A' }]])).toEqual([{ id: 1, t: 'A' }, todos[1], todos[2]]);
  });

  it('keeps list order when an item is deleted', () => {
    expect(
      run({ strategy: 'crud' }, todos, [
        ['deleted', { id: 2 }],
        ['created', { id: 9 }],
      ]),
    ).toEqual([todos[0], todos[2], { id: 9 }]);
    expect(run({ strategy: 'crud' }, todos, [['deleted', 1]])).toEqual([todos[1], todos[2]]);
  });

  it('puts new items first with prepend, newest first, and keeps order on delete', () => {
    const view = run({ strategy: 'crud', prepend: true }, todos, [
      ['created', { id: 4 }],
      ['created', { id: 5 }],
      ['deleted', { id: 2 }],
    ]);
    expect(view).toEqual([{ id: 5 }, { id: 4 }, todos[0], todos[2]]);
  });

  it('uses a configurable key', () => {
    expect(run({ strategy: 'crud', key: 'slug' }, [{ slug: 'x', n: 1 }], [['updated', { slug: 'x', n: 2 }]])).toEqual([
      { slug: 'x', n: 2 },
    ]);
  });

  it('ignores items without the key and events it does not know', () => {
    expect(
      run({ strategy: 'crud' }, todos, [
        ['created', { name: 'no id' }],
        ['created', 'text'],
        ['renamed', { id: 1 }],
      ]),
    ).toEqual(todos);
  });

  it('replaces everything on set', () => {
    expect(run({ strategy: 'crud' }, todos, [['set', [{ id: 7 }]]])).toEqual([{ id: 7 }]);
  });

  it('cannot be polluted by hostile keys', () => {
    const hostile = JSON.parse('[{"id":"__proto__","polluted":true},{"id":"constructor","x":1},{"id":"hasOwnProperty"}]');
    const view = run({ strategy: 'crud' }, hostile, [
      ['updated', JSON.parse('{"id":"__proto__","polluted":2}')],
      ['deleted', { id: 'constructor' }],
    ]);
    expect(view).toEqual([{ id: '__proto__', polluted: 2 }, { id: 'hasOwnProperty' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const viaKeyField = run(
      { strategy: 'crud', key: '__proto__' },
      [JSON.parse('{"__proto__":1}')],
      [['created', JSON.parse('{"__proto__":2}')]],
    );
    expect(viaKeyField).toHaveLength(2);
  });
});

describe('latest', () => {
  it('keeps only the last max events, oldest first', () => {
    expect(
      run(
        { strategy: 'latest', max: 3 },
        [1, 2],
        [
          ['e', 3],
          ['e', 4],
          ['e', 5],
        ],
      ),
    ).toEqual([3, 4, 5]);
  });

  it('trims an initial snapshot to max', () => {
    expect(run({ strategy: 'latest', max: 2 }, [1, 2, 3], [])).toEqual([2, 3]);
  });

  it('wraps around the ring many times', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ['e', i] as [string, number]);
    expect(run({ strategy: 'latest', max: 4 }, [], events)).toEqual([996, 997, 998, 999]);
  });
});

describe('set', () => {
  it('replaces the value on every event', () => {
    expect(
      run({ strategy: 'set' }, { users: 1 }, [
        ['tick', { users: 2 }],
        ['anything', { users: 3 }],
      ]),
    ).toEqual({ users: 3 });
  });
});

describe('presence', () => {
  it('joins and leaves by .key, one entry per key', () => {
    const view = run(
      { strategy: 'presence' },
      [],
      [
        ['join', { key: 'ada', name: 'Ada' }],
        ['join', { key: 'bob', name: 'Bob' }],
        ['join', { key: 'ada', name: 'Ada L.' }],
        ['leave', { key: 'bob' }],
      ],
    );
    expect(view).toEqual([{ key: 'ada', name: 'Ada L.' }]);
  });
});

describe('cursor', () => {
  it('updates and removes by .key', () => {
    const view = run(
      { strategy: 'cursor' },
      [{ key: 'a', x: 0 }],
      [
        ['update', { key: 'b', x: 1 }],
        ['update', { key: 'a', x: 5 }],
        ['remove', { key: 'b' }],
      ],
    );
    expect(view).toEqual([{ key: 'a', x: 5 }]);
  });
});

describe('pages', () => {
  it('appends a next page after the existing items, even on a prepend stream', () => {
    const merger = mergerFor({ strategy: 'crud', prepend: true });
    const state = merger.init([{ id: 3 }, { id: 2 }]);
    merger.apply(state, 'created', { id: 4 });
    merger.appendPage!(state, [{ id: 1 }, { id: 0 }]);
    expect(merger.view(state)).toEqual([{ id: 4 }, { id: 3 }, { id: 2 }, { id: 1 }, { id: 0 }]);
  });
});

describe('keys: strings and numbers only, the same rule for every keyed strategy', () => {
  it.each([
    ['crud', { strategy: 'crud' as const }, 'id', ['created', 'deleted']],
    ['presence', { strategy: 'presence' as const }, 'key', ['join', 'leave']],
    ['cursor', { strategy: 'cursor' as const }, 'key', ['update', 'remove']],
  ])('%s ignores items keyed null, missing or by an object, on add and on remove alike', (_name, config, field, [add, remove]) => {
    const view = run(
      config,
      [],
      [
        [add!, { [field]: null, n: 1 }],
        [add!, { n: 2 }],
        [add!, { [field]: { nested: 1 }, n: 3 }],
        [add!, { [field]: 0, n: 4 }],
        [add!, { [field]: 'a', n: 5 }],
        [remove!, { [field]: null }],
        [remove!, null],
      ],
    );
    expect(view).toEqual([
      { [field]: 0, n: 4 },
      { [field]: 'a', n: 5 },
    ]);
    expect(
      run(config, view, [
        [remove!, 0],
        [remove!, { [field]: 'a' }],
      ]),
    ).toEqual([]);
  });
});

describe('latest with max 0', () => {
  it('keeps nothing', () => {
    expect(
      run(
        { strategy: 'latest', max: 0 },
        [1, 2],
        [
          ['e', 3],
          ['set', [4]],
        ],
      ),
    ).toEqual([]);
  });
});
