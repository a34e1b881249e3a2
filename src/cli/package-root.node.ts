// The package's root folder, found upward from this module: the CLI runs from src/cli/ (tsx, tests) and from its
// bundle in dist-cli/ (scripts/cli-bundle.mjs), so paths like `public/models` cannot be fixed relative to the module.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'mmtrack-web') return dir;
    if (dirname(dir) === dir) throw new Error(`no mmtrack-web package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The package's version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
