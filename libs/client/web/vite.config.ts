import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The citizen-facing proof checker: a static page, bundled with the browser build of
// @civic/protocol (its `browser` import condition selects the @noble crypto backend) and the
// browser part of @civic/client, from their TypeScript sources (`@civic/source`).
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  resolve: { conditions: ['@civic/source', 'browser', 'module', 'import', 'default'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { verify: `${here}verify.html` } },
  },
  logLevel: 'warn',
});
