/** What {@link checkStructure} refuses, and why. */
export type StructureProblem =
  `too deep (more than ${number} levels)` | `forbidden key "__proto__"` | 'a value that is not plain data' | 'a value referenced twice';

const PLAIN_PROTOTYPES: ReadonlySet<object | null> = new Set([
  Object.prototype,
  Array.prototype,
  null,
  Date.prototype,
  Uint8Array.prototype,
]);

/**
 * Walks a decoded frame once and reports the first problem: nesting deeper than `maxDepth`, an
 * own `__proto__` key (it would turn into a prototype write the moment someone `Object.assign`s
 * the data), anything but plain objects, arrays, dates and bytes, or one object reached twice (a
 * custom codec that builds shared references would make every later walk exponential). Each node
 * is visited once, so the walk is linear in the frame; recursion never goes deeper than `maxDepth`.
 */
export function checkStructure(value: unknown, maxDepth: number): StructureProblem | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return visit(value, 1, maxDepth, new Set());
}

function visit(node: object, depth: number, maxDepth: number, seen: Set<object>): StructureProblem | undefined {
  if (depth > maxDepth) return `too deep (more than ${maxDepth} levels)`;
  if (seen.has(node)) return 'a value referenced twice';
  seen.add(node);
  if (!PLAIN_PROTOTYPES.has(Object.getPrototypeOf(node) as object | null)) return 'a value that is not plain data';
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (item !== null && typeof item === 'object') {
        const problem = visit(item, depth + 1, maxDepth, seen);
        if (problem) return problem;
      }
    }
    return undefined;
  }
  if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return 'forbidden key "__proto__"';
  for (const key in node) {
    const item = (node as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object') {
      const problem = visit(item, depth + 1, maxDepth, seen);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** A plain data object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
