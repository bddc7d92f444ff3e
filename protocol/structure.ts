/** What {@link checkStructure} refuses, and why. */
export type StructureProblem = `too deep (more than ${number} levels)` | `forbidden key "__proto__"`;

/**
 * Walks a decoded frame once and reports the first problem: nesting deeper than `maxDepth`, or an
 * own `__proto__` key, which would turn into a prototype write the moment someone
 * `Object.assign`s the data. Recursion is safe here: it never goes deeper than `maxDepth`.
 */
export function checkStructure(value: unknown, maxDepth: number): StructureProblem | undefined {
  return visit(value, 1, maxDepth);
}

function visit(node: unknown, depth: number, maxDepth: number): StructureProblem | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (depth > maxDepth) return `too deep (more than ${maxDepth} levels)`;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (item !== null && typeof item === 'object') {
        const problem = visit(item, depth + 1, maxDepth);
        if (problem) return problem;
      }
    }
    return undefined;
  }
  if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return 'forbidden key "__proto__"';
  for (const key in node) {
    const item = (node as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object') {
      const problem = visit(item, depth + 1, maxDepth);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** A plain data object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
