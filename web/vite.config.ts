// Builds the web app into dist/web, which the node serves at `/` beside its API. `npm run dev:web`
// serves it with hot reload against a node on port 8080.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** The ledger's own code (src/: core, chain, domains and the SDK the web app imports). */
const LEDGER_SRC = `${resolve(import.meta.dirname, '../src')}/`;

const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt)$/;

/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text asset of the build, once, at
 * build time, so the node sends a phone about a quarter of the bytes without compressing on each
 * request (@fastify/static's `preCompressed` picks the copy the browser accepts).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'aidledger-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((n) => {
          const p = join(dir, n);
          return statSync(p).isDirectory() ? walk(p) : [p];
        });
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const raw = readFileSync(file);
        if (raw.length < 1024) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

/**
 * Adds app/prefetch.ts, an entry of its own, as an `async` script: it runs as soon as it arrives,
 * without waiting for the app's script before it, and starts fetching the code of the page being
 * opened while the app's code is still on its way. (A second script in index.html would be
 * bundled into the app's entry, and run only once all of the app's code had arrived.)
 */
function prefetchFirst(): Plugin {
  return {
    name: 'aidledger-prefetch-first',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const entry = Object.values(ctx.bundle ?? {}).find(
          (c) => c.type === 'chunk' && c.isEntry && c.name === 'prefetch',
        );
        if (entry?.type !== 'chunk') throw new Error('no prefetch entry in the bundle');
        // Its own imports (the pages' addresses, Vite's preloader) are asked for first, so that it
        // runs while the app's code is still coming rather than as the last of it arrives.
        const bundle = ctx.bundle ?? {};
        const imports = new Set<string>();
        const walk = (names: string[]): void => {
          for (const f of names) {
            const c = bundle[f];
            if (imports.has(f) || c?.type !== 'chunk') continue;
            imports.add(f);
            walk(c.imports);
          }
        };
        walk(entry.imports);
        let rest = html;
        const links = [...imports].map((f) => {
          const link = `<link rel="modulepreload" crossorigin href="/${f}">`;
          rest = rest.replace(`    ${link}\n`, '');
          return `    ${link}\n`;
        });
        const app = /<script type="module"[^>]*><\/script>\n/.exec(rest);
        if (!app) throw new Error('no app entry in index.html');
        const at = app.index + app[0].length;
        const tag = `    <script type="module" async fetchpriority="high" crossorigin src="/${entry.fileName}"></script>\n${links.join('')}`;
        return rest.slice(0, at) + tag + rest.slice(at);
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), prefetchFirst(), precompress()],
  // The web app sees the ledger only through the SDK (checked by dependency-cruiser).
  resolve: { alias: { '@sdk': new URL('../src/sdk/index.ts', import.meta.url).pathname } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Importing a module of the ledger runs nothing the app relies on: its top level declares
      // (constants, functions, zod schemas). Saying so lets the build put each module with the
      // pages that use it rather than with every page (all of the SDK is imported through one
      // index): the wire schemas, and zod, then stay out of what a phone runs before /me is ready.
      treeshake: {
        moduleSideEffects: (id) => (id.startsWith(LEDGER_SRC) ? false : undefined),
        // Building a zod schema only makes an object (and notes it for the API's OpenAPI text,
        // which the browser never writes): one nothing in the browser uses can go, and with it
        // zod itself from a page that checks no wire format (reasons.ts beside its words).
        manualPureFunctions: ['z'],
      },
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        prefetch: resolve(import.meta.dirname, 'src/app/prefetch.ts'),
      },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
