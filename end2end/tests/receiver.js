// A webhook endpoint for the browser tests: listens on a free port, checks every delivery
// with the official `standardwebhooks` npm package, and answers from a script.
import { createRequire } from 'node:module';
import http from 'node:http';

const require = createRequire(import.meta.url);
const { Webhook } = require((process.env.NODE_TOOLS ? process.env.NODE_TOOLS + '/' : '') + 'standardwebhooks');

export async function startReceiver() {
  const received = [];
  const script = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ headers: req.headers, body, json: JSON.parse(body || 'null') });
      const status = script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`answer ${status}`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks`,
    received,
    /** The next `times` deliveries get `status`. */
    answer(times, status) { for (let i = 0; i < times; i++) script.push(status); },
    async waitFor(count, timeoutMs = 15000) {
      const end = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > end) throw new Error(`only ${received.length} of ${count} deliveries arrived`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received[count - 1];
    },
    close() { server.close(); },
  };
}

/** True when the official library accepts `delivery` with `secret`. */
export function verifies(delivery, secret) {
  try {
    new Webhook(secret).verify(delivery.body, delivery.headers);
    return true;
  } catch {
    return false;
  }
}
