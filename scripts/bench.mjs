// `npm run bench [-- NAME...]`: runs every scripts/bench/*.bench.ts (or those whose name contains NAME) in turn.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const dir = new URL('./bench/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.bench\.(ts|mjs)$/.test(f)).sort()
  .filter((f) => !filters.length || filters.some((n) => f.includes(n)));
let failed = 0;
for (const f of files) {
  console.log(`\n##### ${f}`);
  const r = spawnSync('npx', ['tsx', new URL(f, dir).pathname], { stdio: 'inherit' });
  if (r.status !== 0) { failed++; console.log(`##### ${f} FAILED (exit ${r.status})`); }
}
process.exit(failed ? 1 : 0);
