#!/usr/bin/env python3
"""Media relay benchmark driver: N concurrent relayed calls with RTP both ways (the caller
streams a 7 s A-law tone, the callee echoes every packet), measuring packet loss at the
relay, rtpengine's and Callplane's CPU over the plateau, the relay sessions held, and call
setup time (INVITE to 200) with and without the relay."""
import argparse, json, os, struct, subprocess, sys, time, urllib.request, glob, math

PACKETS_PER_SECOND = 50  # 20 ms of A-law (160 bytes) a packet
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def api(base, token, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def alaw(sample):
    """ITU-T G.711 A-law encoding of a 16-bit sample."""
    sign = 0x80 if sample >= 0 else 0
    magnitude = min(abs(sample), 32635) >> 3
    if magnitude < 32:
        code = magnitude >> 1
    else:
        exponent = magnitude.bit_length() - 5
        code = (exponent << 4) | ((magnitude >> exponent) & 0x0f)
    return (code | sign) ^ 0x55


def write_tone(path, seconds):
    """`seconds` of a 400 Hz sine as an A-law WAV (format 6), what sipp's rtp_stream plays."""
    data = bytes(alaw(int(8000 * math.sin(2 * math.pi * 400 * i / 8000))) for i in range(8000 * seconds))
    fmt = struct.pack("<HHIIHH", 6, 1, 8000, 8000, 1, 8)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(data)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data)


# Packets counted in the kernel (nftables counters on the output hook, loopback): the caller's
# RTP ports, the relay's (Callplane's local rtpengine default range) and the callee's echo.
# sipp's RTP streamer takes ports upwards from -mp.
CALLER_RTP, RELAY_RTP, CALLEE_RTP = "40000-44999", "30000-39999", "26000"
COUNTERS = {
    "caller_to_relay": f"udp sport {CALLER_RTP} udp dport {RELAY_RTP}",
    "relay_to_callee": f"udp sport {RELAY_RTP} udp dport {CALLEE_RTP}",
    "callee_to_relay": f"udp sport {CALLEE_RTP} udp dport {RELAY_RTP}",
    "relay_to_caller": f"udp sport {RELAY_RTP} udp dport {CALLER_RTP}",
}


def nft(script):
    subprocess.run(["nft", "-f", "-"], input=script, text=True, check=True)


def reset_counters():
    subprocess.run(["nft", "delete", "table", "inet", "cpbench"], capture_output=True)
    rules = "".join(f"counter {name} {{}}\n" for name in COUNTERS)
    rules += "chain out {\n type filter hook output priority 0; policy accept;\n"
    rules += "".join(f" {match} counter name {name}\n" for name, match in COUNTERS.items())
    nft(f"table inet cpbench {{\n{rules}}}\n}}\n")


def read_counters():
    out = json.loads(subprocess.run(["nft", "-j", "list", "counters", "table", "inet", "cpbench"], capture_output=True, text=True, check=True).stdout)
    return {c["counter"]["name"]: c["counter"]["packets"] for c in out["nftables"] if "counter" in c}


def drop_counters():
    subprocess.run(["nft", "delete", "table", "inet", "cpbench"], capture_output=True)


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])


def pid_of(pattern):
    out = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True, text=True).stdout.split()
    return int(out[0])


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round((len(values) - 1) * q)))] if values else float("nan")


def run(args, n, relay, ids):
    mode = "relay" if relay else "direct"
    for i in ids:
        api(args.api, args.token, "PATCH", f"/api/v1/extensions/{i}", {"media_mode": mode})
    status = api(args.api, args.token, "GET", "/api/v1/status")
    ng_url = status["media"]["rtpengine"][0]
    rtpe = pid_of("--listen-http=" + ng_url.split("//")[1].split("/")[0])
    host, port = args.sip.split(":")
    work = os.path.join(args.out, f"{mode}-{n}")
    os.makedirs(work, exist_ok=True)
    # The tone ends two seconds before the caller hangs up: every packet is sent in the call.
    tone_seconds = max(1, args.hold_ms // 1000 - 2)
    write_tone(os.path.join(work, "tone.wav"), tone_seconds)
    uas = subprocess.Popen(["sipp", "-sf", os.path.join(HERE, "uas_echo.xml"), "-i", host, "-p", "25080", "-mp", "26000", "-rtp_echo",
                            "-m", str(n), "-nostdin", "-max_socket", "4096", f"{host}:{port}"],
                           cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    reset_counters()
    rate = args.rate or max(50, n // 2)
    uac = subprocess.Popen(["sipp", "-sf", os.path.join(HERE, "uac_play.xml"), "-s", "2000", "-i", host, "-p", "25060", "-mp", CALLER_RTP.split("-")[0],
                            "-d", str(args.hold_ms), "-l", str(n), "-r", str(rate), "-m", str(n), "-nostdin", "-max_socket", "4096",
                            "-trace_rtt", "-rtt_freq", "1", f"{host}:{port}"],
                           cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ramp = n / rate
    time.sleep(ramp + 1.0)
    sessions = api(args.api, args.token, "GET", "/api/v1/status")["media"]["sessions"]
    t0, r0, c0 = time.time(), ticks(rtpe), ticks(args.cp_pid)
    time.sleep(4.0)
    t1, r1, c1 = time.time(), ticks(rtpe), ticks(args.cp_pid)
    uac.wait(timeout=120)
    uas.wait(timeout=60)
    packets = read_counters()
    status = api(args.api, args.token, "GET", "/api/v1/status")
    counters = api(args.api, args.token, "GET", "/api/v1/security/counters")
    rtts = []
    for f in glob.glob(os.path.join(work, "*_rtt.csv")):
        for line in open(f).read().splitlines()[1:]:
            cols = line.split(";")
            if len(cols) >= 3 and cols[2] == "setup":
                rtts.append(float(cols[1]))
    sent = n * tone_seconds * PACKETS_PER_SECOND
    loss = lambda got, of: round(100.0 * (1 - got / of), 3) if of else None
    return {
        "mode": mode, "calls": n, "rate": rate, "uac_exit": uac.returncode, "uas_exit": uas.returncode,
        "sessions_at_plateau": sessions, "sessions_after": status["media"]["sessions"], "security_counters": counters,
        "caller_sent": packets["caller_to_relay"], "caller_expected": sent, "packets": packets,
        "loss_caller_to_callee_pct": loss(packets["relay_to_callee"], packets["caller_to_relay"]) if relay else None,
        "loss_callee_to_caller_pct": loss(packets["relay_to_caller"], packets["callee_to_relay"]) if relay else None,
        "rtpengine_cpu_pct": round(100.0 * (r1 - r0) / os.sysconf("SC_CLK_TCK") / (t1 - t0), 1),
        "callplane_cpu_pct": round(100.0 * (c1 - c0) / os.sysconf("SC_CLK_TCK") / (t1 - t0), 1),
        "setup_p50_ms": round(percentile(rtts, 0.5), 2), "setup_p99_ms": round(percentile(rtts, 0.99), 2), "setup_samples": len(rtts),
        "ng_round_trip_p50_ms": status["media"].get("ng_round_trip_p50_ms"), "ng_round_trip_p99_ms": status["media"].get("ng_round_trip_p99_ms"),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--api", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--sip", required=True)
    p.add_argument("--cp-pid", type=int, required=True)
    p.add_argument("--calls", default="200,500")
    p.add_argument("--hold-ms", type=int, default=9000)
    p.add_argument("--rate", type=int, default=0, help="calls set up per second (default: N/2, at least 50)")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    # The load generators are trusted peers: no per-source rate limit (100 requests/s by
    # default, which drops a quarter of 500 calls' INVITEs, ACKs and BYEs from one address).
    api(args.api, args.token, "PATCH", "/api/v1/security/settings", {"whitelist": ["127.0.0.1/32"]})
    ids = []
    for number in ["1001", "2000"]:
        ids.append(api(args.api, args.token, "POST", "/api/v1/extensions", {"number": number, "ip_auth": ["127.0.0.1"]})["id"])
    reg = subprocess.run(["sipp", "-sf", os.path.join(ROOT, "tests/scenarios/register_without_auth.xml"), "-i", "127.0.0.1", "-p", "25080",
                          "-s", "2000", "-m", "1", "-nostdin", args.sip], capture_output=True, cwd=args.out)
    if reg.returncode != 0:
        sys.exit("the callee did not register")
    results = []
    for n in [int(x) for x in args.calls.split(",")]:
        for relay in (True, False):
            r = run(args, n, relay, ids)
            print(json.dumps(r), flush=True)
            results.append(r)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    drop_counters()
    print("| calls | media | caller sent / expected | loss A→B / B→A % | rtpengine CPU | Callplane CPU | setup p50 / p99 ms | ng p50 / p99 ms | sessions at plateau / after | sipp exit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['calls']} @ {r['rate']}/s | {r['mode']} | {r['caller_sent']} / {r['caller_expected']} | {r['loss_caller_to_callee_pct']} / {r['loss_callee_to_caller_pct']} | "
              f"{r['rtpengine_cpu_pct']}% | "
              f"{r['callplane_cpu_pct']}% | {r['setup_p50_ms']} / {r['setup_p99_ms']} | {r['ng_round_trip_p50_ms']} / {r['ng_round_trip_p99_ms']} | "
              f"{r['sessions_at_plateau']} / {r['sessions_after']} | {r['uac_exit']}/{r['uas_exit']} |")


if __name__ == "__main__":
    main()
