#!/usr/bin/env node
/**
 * `npm run web`: serve the built web inspector (web/dist) on localhost. A static file server and nothing more: GET and
 * HEAD of files under web/dist, the page's CSP also sent as a header (so it covers the worker too). Any static host
 * serves the same folder as well. Usage: node scripts/web-serve.mjs [--port N] (0: any free port); prints the URL.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
};
/** The page's own policy (web/index.html's meta tag), as a header: a header also covers the worker. */
const CSP = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", "style-src 'self'", "img-src 'self' data:",
  "connect-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');

const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`web-serve: --port '${process.argv[i + 1]}' is not a port number`);
  process.exit(2);
}
try {
  statSync(join(ROOT, 'index.html'));
} catch {
  console.error('web-serve: web/dist/index.html is missing: run `npm run web:build` first');
  process.exit(2);
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = normalize(join(ROOT, path.endsWith('/') ? `${path}index.html` : path));
  let st;
  try { st = file.startsWith(ROOT + sep) ? statSync(file) : null; } catch { st = null; }
  if (!st?.isFile()) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'); return; }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': st.size,
    'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`linkplan web inspector: http://127.0.0.1:${server.address().port}/`);
});
