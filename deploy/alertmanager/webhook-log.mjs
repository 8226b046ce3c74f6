// A tiny Alertmanager webhook receiver for the local stack and docker compose: prints one
// line per alert it is notified about. Listens on WEBHOOK_LOG_ADDR (default 127.0.0.1:5001).
import { createServer } from 'node:http';

const [host, port] = (process.env.WEBHOOK_LOG_ADDR ?? '127.0.0.1:5001').split(':');

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200).end();
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const a of body.alerts ?? []) {
        const l = a.labels ?? {};
        const who = [l.team, l.environment, l.budget, l.service].filter(Boolean).join(' ');
        console.log(
          `[${new Date().toISOString()}] ${req.url} ${a.status} ${l.alertname} ${l.severity ?? ''} ${who} :: ${a.annotations?.summary ?? ''}`,
        );
      }
    } catch {
      console.log(`[${new Date().toISOString()}] ${req.url} (not JSON)`);
    }
  });
}).listen(Number(port), host, () => console.log(`webhook-log listening on http://${host}:${port}`));
