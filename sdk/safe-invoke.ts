/**
 * Calls a user-supplied listener so that its throw is reported but never breaks the caller
 * (a throwing onEvent must not stop the next listener or the connection).
 */
export function safeInvoke<Args extends unknown[]>(listener: ((...args: Args) => unknown) | undefined, ...args: Args): unknown {
  if (!listener) return undefined;
  try {
    return listener(...args);
  } catch (error) {
    console.error('[wirestore] a listener threw:', error);
    return undefined;
  }
}
