// docs/cli.md is every command's `--help`, so the docs and the CLI cannot disagree (a test compares them;
// `npx tsx src/cli/cli-docs.ts > docs/cli.md` writes it).
import { commands } from './main.ts';

export function cliReference(): string {
  const parts = [
    '# `mmtrack` command reference',
    '',
    'Generated from `mmtrack COMMAND --help` (`npx tsx src/cli/cli-docs.ts > docs/cli.md`); a unit test keeps the two equal.',
    '',
  ];
  for (const c of commands) parts.push(`## ${c.name}`, '', c.summary, '', '```text', c.help.trimEnd(), '```', '');
  return parts.join('\n');
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) process.stdout.write(cliReference());
