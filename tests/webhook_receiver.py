#!/usr/bin/env python3
"""A webhook receiver for tests, independent of Callplane's code: verifies the Standard
Webhooks signature with Python's hmac and prints one line per delivery on stdout:
`OK <seq> <type>` or `BADSIG <webhook-id>`. Answers 503 to the first FAIL_FIRST requests
(a receiver that is down for a while), then 200.

    webhook_receiver.py PORT SECRET FAIL_FIRST
"""
import base64, hashlib, hmac, http.server, json, sys

port, secret, fail_first = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
seen = {"n": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        seen["n"] += 1
        if seen["n"] <= fail_first:
            self.send_response(503)
            self.end_headers()
            return
        msg_id, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
        expected = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        given = [s.split(",", 1)[1] for s in self.headers["webhook-signature"].split() if s.startswith("v1,")]
        if not any(hmac.compare_digest(expected, g) for g in given):
            print("BADSIG", msg_id, flush=True)
            self.send_response(401)
            self.end_headers()
            return
        event = json.loads(body)
        print("OK", event["seq"], event["type"], flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", port), Handler)
print("READY", flush=True)
server.serve_forever()
