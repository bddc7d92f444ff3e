// A user's project, made from the packed package: what `npm install wirestore` would give them.
// Shared by the packed-types check and the run of the README's testing example.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `npm pack` of this repository (built beforehand) into `folder`; returns the tarball's path. */
export function packPackage(folder) {
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', folder], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  return join(folder, name);
}

/**
 * A project folder with the tarball unpacked as node_modules/wirestore, and `linked` packages
 * from this repository's node_modules (the versions a user's install resolves), linked rather
 * than downloaded again.
 */
export function makeConsumerProject(project, tarball, linked) {
  mkdirSync(join(project, 'node_modules/wirestore'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(project, 'node_modules/wirestore'), '--strip-components=1']);
  for (const name of linked) {
    mkdirSync(join(project, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
}

/** The README's fenced ```ts and ```tsx blocks, at any indent (inside a list item too), the indent taken off. */
export function readmeBlocks(readme) {
  return [...readme.matchAll(/^( *)```(tsx?)\n([\s\S]*?)^\1```/gm)].map(([, indent, language, code]) => ({
    language,
    code: code.replace(new RegExp(`^${indent}`, 'gm'), ''),
  }));
}
