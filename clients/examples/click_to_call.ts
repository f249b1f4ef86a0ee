// Click-to-call from a CRM: Callplane rings the agent's phone (`from`); when the agent
// answers it calls `to` and bridges the two.
//
//   node build/click_to_call.js --url http://pbx:8080 --token "$TOKEN" 201 0044207946000
//
// With --hangup-when-answered the script follows the call until it is answered, then hangs
// it up through the API (a "test my phone" button), and prints the CDR.
import { parseArgs } from 'node:util';

import { client, createCall, hangupCall, listCalls, listCdrs, type Cdr, type Problem } from '@callplane/client';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.CALLPLANE_URL ?? 'http://127.0.0.1:8080' },
    token: { type: 'string', default: process.env.CALLPLANE_TOKEN },
    'hangup-when-answered': { type: 'boolean', default: false },
    'timeout-s': { type: 'string', default: '30' },
  },
});

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

function describe(problem: Problem | undefined, status: number | undefined): string {
  if (problem === undefined) {
    return `HTTP ${status ?? 'no answer'}`;
  }
  const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
  return `${problem.status} ${problem.title}: ${problem.detail}${fields ? ` (${fields})` : ''}`;
}

const [from, to] = positionals;
if (from === undefined || to === undefined) {
  fail('usage: click_to_call [--url URL] [--token JWT] [--hangup-when-answered] FROM TO');
}
if (!options.token) {
  fail('a token with scope calls is needed: --token or CALLPLANE_TOKEN');
}
const deadline = Date.now() + Number(options['timeout-s']) * 1000;
client.setConfig({ baseUrl: options.url, auth: options.token });

const started = await createCall({ body: { from, to } });
if (started.data === undefined) {
  fail(`cannot start the call: ${describe(started.error, started.response?.status)}`);
}
const callId = started.data.id;
console.log(`STARTED ${callId} ${from} -> ${to}`);
if (!options['hangup-when-answered']) {
  process.exit(0);
}

/** Polls `poll` every 200 ms until it returns a value, or fails at the deadline. */
async function until<T>(what: string, poll: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await poll();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      fail(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

await until('the answer', async () => {
  const calls = await listCalls();
  if (calls.data === undefined) {
    fail(`cannot list calls: ${describe(calls.error, calls.response?.status)}`);
  }
  const call = calls.data.items.find((c) => c.id === callId);
  if (call === undefined) {
    fail(`call ${callId} ended before it was answered`);
  }
  return call.state === 'answered' ? call : undefined;
});
console.log(`ANSWERED ${callId}`);

const hungUp = await hangupCall({ path: { id: callId } });
if (hungUp.error !== undefined) {
  fail(`cannot hang up: ${describe(hungUp.error, hungUp.response?.status)}`);
}
console.log(`HUNG UP ${callId}`);

// The CDR is written when the call has ended; CDRs are listed oldest first.
const cdr: Cdr = await until('the CDR', async () => {
  const page = await listCdrs({ query: { number: from, limit: 100 } });
  return page.data?.items.find((c) => c.id === callId);
});
console.log(`CDR ${cdr.id} ${cdr.caller} -> ${cdr.final_callee ?? cdr.dialed} ${cdr.disposition} ${cdr.hangup_side} ${cdr.duration_s}s`);
