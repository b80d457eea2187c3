import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The UI is plain TypeScript and CSS, built into ui/dist for Tauri to embed.
// Two pages, one per window: index.html (main) and quick-ask.html.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        'quick-ask': resolve(import.meta.dirname, 'quick-ask.html'),
      },
    },
  },
  test: {
    root: import.meta.dirname,
    include: ['tests/components/**/*.test.ts'],
    environment: 'happy-dom',
  },
});
