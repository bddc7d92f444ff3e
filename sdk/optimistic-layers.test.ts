import { describe, expect, it, vi } from 'vitest';
import { mergerFor } from './merge/index';
import { MutationHistory } from './mutation-history';
import { OptimisticLayers } from './optimistic-layers';

function crudWithLayers(initial: unknown[]) {
  const merger = mergerFor({ strategy: 'crud', key: 'id' });
  const confirmed = merger.init(initial);
  const layers = new OptimisticLayers(() => {}, 5000);
  const server = (event: string, data: unknown) => {
    merger.apply(confirmed, event, data);
    layers.noteServerEvent(event, data, merger);
  };
  return { merger, confirmed, layers, server, view: () => layers.compose(merger, confirmed) };
}

describe('optimistic layers', () => {
  it('re-applies a pending layer on top of server events that land meanwhile', () => {
    const { merger, layers, server, view } = crudWithLayers([{ id: 1, t: 'a' }]);
    layers.add({ event: 'updated', data: { id: 1, t: 'mine' } }, merger);
    server('created', { id: 2, t: 'theirs' });
    expect(view()).toEqual([
      { id: 1, t: 'mine' },
      { id: 2, t: 'theirs' },
    ]);
  });

  it('rolls back one layer without losing anybody else’s concurrent change', () => {
    const { merger, layers, server, view } = crudWithLayers([{ id: 1, t: 'a' }]);
    const mine = layers.add({ event: 'deleted', data: { id: 1 } }, merger);
    const other = layers.add({ event: 'created', data: { id: 3, t: 'also mine' } }, merger);
    server('updated', { id: 1, t: 'edited by someone else' });
    layers.remove(mine);
    expect(view()).toEqual([
      { id: 1, t: 'edited by someone else' },
      { id: 3, t: 'also mine' },
    ]);
    layers.remove(other);
    expect(view()).toEqual([{ id: 1, t: 'edited by someone else' }]);
  });

  it('replaces a temporary id with the server’s, never showing the row twice', () => {
    const { merger, confirmed, layers, server, view } = crudWithLayers([]);
    const layer = layers.add({ event: 'created', data: { id: 'tmp-1', t: 'new' } }, merger);
    expect(view()).toEqual([{ id: 'tmp-1', t: 'new' }]);
    layers.settle(layer, { id: 42, t: 'new' }, merger, confirmed); // the reply came before the event
    expect(view()).toEqual([{ id: 42, t: 'new' }]);
    server('created', { id: 42, t: 'new' });
    expect(view()).toEqual([{ id: 42, t: 'new' }]);
    expect(layers.size).toBe(0);
  });

  it('recognises its created row when the server’s event comes before the reply', () => {
    const { merger, confirmed, layers, server, view } = crudWithLayers([]);
    const layer = layers.add({ event: 'created', data: { id: 'tmp-1', t: 'new' } }, merger);
    server('created', { id: 7, t: 'new', createdAt: 123 });
    expect(view()).toEqual([{ id: 7, t: 'new', createdAt: 123 }]);
    layers.settle(layer, { id: 7, t: 'new', createdAt: 123 }, merger, confirmed);
    expect(layers.size).toBe(0);
    expect(view()).toEqual([{ id: 7, t: 'new', createdAt: 123 }]);
  });

  it('drops a settled layer at once when its event already arrived, and keeps it until then otherwise', () => {
    const { merger, confirmed, layers, server, view } = crudWithLayers([{ id: 1, t: 'a' }]);
    const early = layers.add({ event: 'updated', data: { id: 1, t: 'b' } }, merger);
    server('updated', { id: 1, t: 'b', updatedAt: 1 });
    layers.settle(early, undefined, merger, confirmed);
    expect(layers.size).toBe(0);
    const late = layers.add({ event: 'updated', data: { id: 1, t: 'c' } }, merger);
    layers.settle(late, undefined, merger, confirmed);
    expect(view()).toEqual([{ id: 1, t: 'c' }]); // no flicker back to 'b' while the event travels
    server('updated', { id: 1, t: 'c', updatedAt: 2 });
    expect(view()).toEqual([{ id: 1, t: 'c', updatedAt: 2 }]);
  });

  it('gives up on a settled layer whose event never comes', () => {
    vi.useFakeTimers();
    try {
      const { merger, confirmed, layers, view } = crudWithLayers([]);
      layers.settle(layers.add({ event: 'created', data: { id: 5 } }, merger), undefined, merger, confirmed);
      vi.advanceTimersByTime(5000);
      expect(view()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('mutation history', () => {
  it('undoes and redoes in order, and a new mutation clears redo', async () => {
    const log: string[] = [];
    const history = new MutationHistory(2);
    const entry = (name: string) => ({ undo: async () => void log.push(`undo ${name}`), redo: async () => void log.push(`redo ${name}`) });
    history.record(entry('a'));
    history.record(entry('b'));
    history.record(entry('c')); // over the limit: 'a' can no longer be undone
    expect(await history.undo()).toBe(true);
    expect(await history.undo()).toBe(true);
    expect(await history.undo()).toBe(false);
    expect(await history.redo()).toBe(true);
    expect(history.canRedo.get()).toBe(true);
    history.record(entry('d'));
    expect(history.canRedo.get()).toBe(false);
    expect(log).toEqual(['undo c', 'undo b', 'redo b']);
  });

  it('drops an entry whose inverse the server rejects, and rejects', async () => {
    const history = new MutationHistory();
    history.record({ undo: () => Promise.reject(new Error('conflict')), redo: async () => {} });
    await expect(history.undo()).rejects.toThrow('conflict');
    expect(history.canUndo.get()).toBe(false);
    expect(history.canRedo.get()).toBe(false);
  });
});
