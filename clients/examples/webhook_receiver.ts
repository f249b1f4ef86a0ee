// A webhook endpoint for Callplane events: checks the Standard Webhooks signature
// (HMAC-SHA256 keyed with the webhook's secret), refuses stale timestamps and duplicate
// deliveries, and narrows each event to its typed shape by `type`.
//
//   CALLPLANE_WEBHOOK_SECRET=whsec_... node build/webhook_receiver.js --port 9000
//
// Prints `LISTENING <port>` once ready, then one line per request: `OK <seq> <type> ...`,
// `DUPLICATE <webhook-id>` or `REJECTED <reason>` (answered 401).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

import type { CloudEvent } from '@callplane/client';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '9000' },
    host: { type: 'string', default: '127.0.0.1' },
    secret: { type: 'string', default: process.env.CALLPLANE_WEBHOOK_SECRET },
    'tolerance-s': { type: 'string', default: '300' },
    'max-deliveries': { type: 'string', default: '0' },
  },
});
if (!options.secret) {
  console.error('error: the webhook secret is needed: --secret or CALLPLANE_WEBHOOK_SECRET');
  process.exit(1);
}
// A `whsec_` secret is base64 after its prefix; any other secret is used as its bytes.
const key = options.secret.startsWith('whsec_')
  ? Buffer.from(options.secret.slice('whsec_'.length), 'base64')
  : Buffer.from(options.secret, 'utf8');
const tolerance = Number(options['tolerance-s']);
const maxDeliveries = Number(options['max-deliveries']);
const seen = new Set<string>();
let delivered = 0;

/** Why a delivery is refused, or undefined when its signature and timestamp hold. */
export function refusal(headers: IncomingMessage['headers'], body: Buffer, now: number): string | undefined {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
    return 'missing webhook-id, webhook-timestamp or webhook-signature';
  }
  const sent = Number(timestamp);
  if (!Number.isFinite(sent) || Math.abs(now - sent) > tolerance) {
    return `timestamp ${timestamp} is more than ${tolerance}s away`;
  }
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  const valid = signatures.split(' ').some((candidate) => {
    const [version, signature] = candidate.split(',', 2);
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  return valid ? undefined : 'no valid v1 signature';
}

function describe(event: CloudEvent): string {
  switch (event.type) {
    case 'call.ringing':
      return `${event.data.caller} -> ${event.data.callee}`;
    case 'call.ended':
      return `${event.data.caller} -> ${event.data.dialed} ${event.data.cause} ${event.data.duration_s}s`;
    case 'registration.created':
      return `${event.data.aor} at ${event.data.contact}`;
    case 'webhook.test':
      return `webhook ${event.data.webhook_id}`;
    default:
      return '';
  }
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const reason = request.method === 'POST' ? refusal(request.headers, body, Date.now() / 1000) : 'not a POST';
    if (reason !== undefined) {
      console.log(`REJECTED ${reason}`);
      response.writeHead(401).end();
      return;
    }
    const id = String(request.headers['webhook-id']);
    response.writeHead(204).end();
    if (seen.has(id)) {
      console.log(`DUPLICATE ${id}`);
      return;
    }
    seen.add(id);
    let event: CloudEvent;
    try {
      event = JSON.parse(body.toString('utf8')) as CloudEvent;
    } catch {
      console.log(`REJECTED body is not JSON (${id})`);
      return;
    }
    console.log(`OK ${event.seq} ${event.type} ${describe(event)}`.trimEnd());
    delivered += 1;
    if (maxDeliveries > 0 && delivered >= maxDeliveries) {
      server.close();
    }
  });
});

server.listen(Number(options.port), options.host, () => {
  console.log(`LISTENING ${(server.address() as AddressInfo).port}`);
});
