// A catalogue rendered on the server, like seed 002's app behind Traefik:
// every link is absolute, so behind a TLS-terminating proxy it must be built
// from X-Forwarded-Proto/-Host, or browsers get http:// links and mixed
// content. Node's standard library only (the registry is not needed).
'use strict';
const http = require('node:http');

const products = [
  { id: 1, name: 'Teapot', price: '18.00' },
  { id: 2, name: 'Cup', price: '6.50' },
];

function baseURL(req) {
  const proto = req.headers['x-forwarded-proto'] || 'http';
  const host = req.headers['x-forwarded-host'] || req.headers.host || 'localhost';
  return `${proto}://${host}`;
}

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(req) {
  const base = baseURL(req);
  const items = products.map((p) => `<li><a href="${base}/products/${p.id}">${escape(p.name)}</a> ${p.price}</li>`).join('');
  return `<!doctype html><html><head><title>Shop</title><link rel="stylesheet" href="${base}/static/site.css"></head>` +
    `<body><h1>Shop</h1><ul>${items}</ul></body></html>\n`;
}

const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok\n');
  }
  if (pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(page(req));
  }
  if (pathname === '/static/site.css') {
    res.writeHead(200, { 'content-type': 'text/css' });
    return res.end('body { font-family: sans-serif }\n');
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});
server.keepAliveTimeout = 5000;

const port = Number(process.env.PORT || 3000);
server.listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));

// Stop accepting, let in-flight requests finish, then exit 0.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 8000).unref();
  });
}
