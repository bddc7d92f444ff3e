// Svelte components as TypeScript sees them (Vite's Svelte plugin compiles them).
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component;
  export default component;
}
