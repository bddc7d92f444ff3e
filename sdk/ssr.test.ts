import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => vi.unstubAllGlobals());

it('importing the SDK and creating a client touches no browser global', async () => {
  const touched: string[] = [];
  for (const name of ['window', 'document', 'location', 'navigator', 'WebSocket']) {
    vi.stubGlobal(name, undefined);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
  vi.resetModules();
  const { createClient } = await import('./index');
  const client = createClient();
  client.status.get();
  expect(touched).toEqual([]);
});
