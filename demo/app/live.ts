// The demo's one client. Open the page twice (or in two browsers) to see everything sync.
import { createClient } from 'wirestore';

const params = new URLSearchParams(location.search);
export const codec = params.get('codec') === 'msgpack' ? 'msgpack' : 'json';
export const name = params.get('name') || `guest-${Math.random().toString(36).slice(2, 6)}`;

export const client = createClient({
  codec,
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?name=${encodeURIComponent(name)}`,
  offline: { queue: true },
  // `npm run dev`: Ctrl+Shift+L opens the overlay. `npm start` serves a production build, which
  // carries none of it.
  devtools: true,
});

/** Reloads the page with another wire codec (the client picks its codec once). */
export function switchCodec(next: 'json' | 'msgpack'): void {
  params.set('codec', next);
  params.set('name', name);
  location.search = params.toString();
}
