import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const DATA = path.resolve(import.meta.dirname, 'data');
const TYPES: Record<string, string> = { '.csv': 'text/csv', '.json': 'application/json' };

/**
 * The files of data/ (the bundled sample and datasets.json, the list of hosted datasets) are served as they are at
 * data/ beside the page, in development and in the built site, so that links can name them (`?data=data/x.csv`)
 * and a deployment can add its own next to them.
 */
function siteData(): Plugin {
  return {
    name: 'site-data',
    configureServer(server) {
      server.middlewares.use('/data/', (req, res, next) => {
        const file = path.join(DATA, decodeURIComponent((req.url ?? '').split('?')[0] ?? ''));
        if (!file.startsWith(DATA) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return next();
        res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
        fs.createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const name of fs.readdirSync(DATA)) {
        const file = path.join(DATA, name);
        if (fs.statSync(file).isFile())
          this.emitFile({ type: 'asset', fileName: `data/${name}`, source: fs.readFileSync(file) });
      }
    },
  };
}

/**
 * `--mode cli`: the summarize command (src/cli), bundled for Node with its dependencies left in node_modules. It runs
 * the site's own ingest and summary modules on native DuckDB.
 */
const cli = defineConfig({
  build: {
    ssr: 'src/cli/summarize.ts',
    outDir: 'dist-cli',
    target: 'node20',
    emptyOutDir: true,
  },
  logLevel: 'warn',
});

const site = defineConfig({
  base: './',
  plugins: [siteData()],
  build: {
    target: 'es2022',
    // DuckDB's wasm and workers must be separate same-origin files: never inlined.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  server: { port: 5173 },
  preview: { port: 4173 },
});

export default defineConfig(({ mode }) => (mode === 'cli' ? cli : site));
