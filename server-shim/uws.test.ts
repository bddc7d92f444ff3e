import { expect, it } from 'vitest';
import { requireNativeUws, uwsIsNative } from './uws';

it('runs on the native uWebSockets.js binary, not its silent JavaScript fallback', () => {
  expect(uwsIsNative(), 'uWebSockets.js loaded its JS fallback: check the Node version (20) and platform').toBe(true);
});

it('refuses to start on the JavaScript fallback, saying what this host is and what to install', () => {
  expect(() => requireNativeUws(false)).toThrow(
    new RegExp(`no native binary for this host \\(Node ${process.versions.node.replace(/\./g, '\\.')}`),
  );
  expect(() => requireNativeUws(false)).toThrow(/never serves on its JavaScript fallback.*install/);
  expect(() => requireNativeUws(true)).not.toThrow();
});
