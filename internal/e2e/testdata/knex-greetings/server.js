const http = require('http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const port = process.env.PORT || 3000;

// /healthz counts a table only the migration makes: without it, 500.
const server = http.createServer(async (req, res) => {
  if (req.url === '/healthz' || req.url === '/') {
    try {
      const { rows } = await pool.query('SELECT count(*) AS n FROM greetings');
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`${rows[0].n} greetings\n`);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`${err.message}\n`);
    }
    return;
  }
  res.writeHead(404);
  res.end('not found\n');
});

server.listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
