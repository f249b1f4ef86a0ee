// Builds the console into dist/ (committed; the callplane binary embeds it):
//   dist/index.html   the page (copied from src/index.html)
//   dist/console.js   the app and @callplane/client (from the client's generated sources),
//                     bundled and minified by esbuild
//   dist/console.css  the style sheet
// The output depends only on the sources and the pinned tools of package-lock.json, so
// scripts/test-clients rebuilds it and fails on any difference from git.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
await rm(`${here}dist`, { recursive: true, force: true });
await mkdir(`${here}dist`);
await build({
  entryPoints: { console: `${here}src/main.tsx` },
  outdir: `${here}dist`,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  alias: { '@callplane/client': `${here}../typescript/src/index.ts` },
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});
await build({
  entryPoints: { console: `${here}src/console.css` },
  outdir: `${here}dist`,
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
await copyFile(`${here}src/index.html`, `${here}dist/index.html`);
