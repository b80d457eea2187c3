import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The UI is plain TypeScript and CSS, built into ui/dist for Tauri to embed.
// Two pages, one per window: index.html (main) and quick-ask.html.
export default defineConfig({
  root: __dirname,
  base: './',
  build: {
    outDir: resolve(__dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(__dirname, 'index.html'),
        'quick-ask': resolve(__dirname, 'quick-ask.html'),
      },
    },
  },
  test: {
    root: __dirname,
    include: ['tests/components/**/*.test.ts'],
    environment: 'happy-dom',
  },
});
