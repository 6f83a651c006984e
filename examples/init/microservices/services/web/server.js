// The front service of seed 004's set: nginx serves it at /, and the other
// services under /catalog/ and /orders/. Links are built from the
// forwarded headers so that they point back through the proxy.
'use strict';
const http = require('node:http');

const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok\n');
  }
  if (pathname !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found\n');
  }
  const base = `${req.headers['x-forwarded-proto'] || 'http'}://${req.headers['x-forwarded-host'] || req.headers.host}`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>` +
    `<a href="${base}/catalog/">catalog</a> <a href="${base}/orders/">orders</a></body></html>\n`);
});
server.listen(3000, '0.0.0.0');
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 8000).unref();
  });
}
