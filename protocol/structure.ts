/** What {@link checkStructure} refuses, and why. */
export type StructureProblem = `too deep (more than ${number} levels)` | `forbidden key "__proto__"`;

/**
 * Walks a decoded frame once, without recursion (so a hostile depth cannot overflow the stack),
 * and reports the first problem: nesting deeper than `maxDepth`, or an own `__proto__` key, which
 * would turn into a prototype write the moment someone `Object.assign`s the data.
 */
export function checkStructure(value: unknown, maxDepth: number): StructureProblem | undefined {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return `too deep (more than ${maxDepth} levels)`;
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') stack.push([item, depth + 1]);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return 'forbidden key "__proto__"';
    for (const key in node) {
      const item = (node as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object') stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

/** A plain data object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
