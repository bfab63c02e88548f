/**
 * Two builds from one file:
 * - default: the renderer (renderer/ → dist/renderer), served to both hosts;
 * - `--mode preload`: the Electron preload as one CommonJS file, because a
 *   sandboxed preload can require only `electron` and a few built-ins.
 */
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig(({ mode }) => {
  if (mode === 'preload') {
    return {
      build: {
        outDir: resolve(root, 'dist/preload'),
        emptyOutDir: true,
        minify: false,
        lib: {
          entry: resolve(root, 'electron/app/preload.ts'),
          formats: ['cjs'],
          fileName: () => 'preload.cjs',
        },
        rollupOptions: { external: ['electron'] },
      },
    };
  }
  return {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'dist/renderer'),
      emptyOutDir: true,
      // No inlined scripts or data: modules: the CSP allows 'self' only.
      assetsInlineLimit: 0,
      sourcemap: false,
    },
  };
});
