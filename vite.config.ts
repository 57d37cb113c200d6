// The renderer is built on its own: `vite build` → dist-renderer/, loaded by Electron from disk and served by
// `izisales serve`. Relative asset paths work in both; everything is emitted as files (strict CSP, no inline code).
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The same policy the server sends, also as a <meta> so a build opened from disk (Electron) carries it. Build only: the
// dev server injects an inline preamble that this policy would block. (frame-ancestors is header-only, left out.)
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'";
function cspMeta(): Plugin {
  return {
    name: 'izisales-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace(/<meta charset="UTF-8" \/>/i, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

const apiTarget = process.env.IZISALES_API ?? 'http://127.0.0.1:5180';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../dist-renderer',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  // `npx vite` for UI work: proxies the API to a running `izisales serve --port 5180`.
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
});
