// A bare node:http server in its own process, answering recorded bytes from memory: the baseline of every ratio.
// It runs as a separate process, like the packgrid server, so both compete with the load generator equally.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-server.child.ts <routes.json>');
const spec = JSON.parse(readFileSync(file, 'utf8')) as { path: string; contentType: string; bodyBase64: string }[];
const routes = new Map(spec.map((r) => [r.path, { contentType: r.contentType, body: Buffer.from(r.bodyBase64, 'base64') }]));
const fallback = [...routes.values()][0];
const server = createServer((req, res) => {
  const hit = routes.get(req.url ?? '/') ?? fallback;
  if (!hit) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': hit.contentType, 'content-length': hit.body.length });
  res.end(hit.body);
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
