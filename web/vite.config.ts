// Builds the web app into dist/web, which the node serves at `/` beside its API. `npm run dev:web`
// serves it with hot reload against a node on port 8080.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  // The web app sees the ledger only through the SDK (checked by dependency-cruiser).
  resolve: { alias: { '@sdk': new URL('../src/sdk/index.ts', import.meta.url).pathname } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
