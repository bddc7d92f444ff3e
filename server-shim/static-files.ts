import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { HttpResponse, TemplatedApp } from 'uWebSockets.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** `/a/../b.js` under `root`, or undefined if it would leave `root`. */
function fileUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

function respond(res: HttpResponse, status: string, body: string | Buffer, contentType = 'text/plain; charset=utf-8'): void {
  res.cork(() => {
    res.writeStatus(status).writeHeader('Content-Type', contentType).writeHeader('Cache-Control', 'no-cache').end(body);
  });
}

/**
 * Reads `file` if its real path, symlinks resolved, is still under the real path of `root`: a
 * link inside the folder that points outside it is refused like `..` is.
 */
async function servable(root: string, file: string): Promise<Buffer> {
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
  if (!realFile.startsWith(realRoot + sep)) throw new Error('outside the static root');
  return readFile(realFile);
}

/**
 * Serves files for GET requests: `{ '/': 'demo/public', '/cdn/': 'dist/cdn' }`, longest prefix
 * first. For demos and tests; put a CDN or a real static server in front in production.
 */
export function serveStatic(app: TemplatedApp, mounts: string | Readonly<Record<string, string>>): void {
  const table = Object.entries(typeof mounts === 'string' ? { '/': mounts } : mounts)
    .map(([prefix, dir]) => ({ prefix: prefix.endsWith('/') ? prefix : `${prefix}/`, root: resolve(dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);

  app.get('/*', (res, req) => {
    const url = req.getUrl();
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const mount = table.find(({ prefix }) => url.startsWith(prefix) || `${url}/` === prefix);
    const file = mount && fileUnder(mount.root, `/${url.slice(mount.prefix.length)}`);
    if (!file) return respond(res, '404 Not Found', 'not found');
    servable(mount.root, file).then(
      (body) => {
        if (!aborted) respond(res, '200 OK', body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
      },
      () => {
        if (!aborted) respond(res, '404 Not Found', 'not found');
      },
    );
  });
}
