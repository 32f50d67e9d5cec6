// Builds the UI that `sluice scheduler` serves (docs/ui.md). CMake runs `vite build` with
// --outDir in the build tree and embeds every file it writes (runtime/ui/embed_assets.cmake).
//
// `npm run dev` serves the sources with hot reload and forwards /api/ to a running scheduler:
//   SLUICE_API=http://127.0.0.1:8080 npm run dev
import { defineConfig } from 'vite';

export default defineConfig({
  // JSX compiles to Preact's automatic runtime (esbuild); no Babel, no framework plugin.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    // Hashed names under assets/ are served with "cache forever" (FindUiAsset's immutable).
    assetsDir: 'assets',
    sourcemap: false,
    // Small images and fonts would become data: URLs inside the bundle; we have none.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    target: 'es2020',
  },
  server: {
    proxy: {
      '/api': { target: process.env.SLUICE_API || 'http://127.0.0.1:8080', changeOrigin: true },
    },
  },
});
