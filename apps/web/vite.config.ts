import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Everything is bundled and served by the api itself: no CDN, fonts or scripts from elsewhere,
// so the client works on an offline venue network.
export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    rollupOptions: {
      output: {
        // socket.io-client in a chunk of its own: only the live views (join, console, screen) load it.
        manualChunks: (id: string) =>
          /node_modules\/(socket\.io-client|engine\.io-|@socket\.io)/.test(id) ? 'live' : undefined,
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
