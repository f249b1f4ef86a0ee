#!/usr/bin/env python3
"""Creates one Callplane extension per line of a sipp users file (user;password;...), and
whitelists 127.0.0.1 (the load generators) so the per-source rate limit does not shed the
benchmark's own traffic."""
import http.client
import json
import sys

host, port, token, users = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
conn = http.client.HTTPConnection(host, port)
conn.request("PATCH", "/api/v1/security/settings", body=json.dumps({"whitelist": ["127.0.0.1"]}),
             headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
resp = conn.getresponse()
resp.read()
if resp.status != 200:
    raise SystemExit("whitelist: HTTP %d" % resp.status)
count = 0
for line in open(users):
    parts = line.strip().split(";")
    if len(parts) < 2 or not parts[0].isdigit():
        continue
    body = json.dumps({"number": parts[0], "password": parts[1], "max_contacts": 2})
    conn.request("POST", "/api/v1/extensions", body=body,
                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    if resp.status != 201:
        raise SystemExit("extension %s: HTTP %d" % (parts[0], resp.status))
    count += 1
print("provisioned %d extensions" % count, file=sys.stderr)
