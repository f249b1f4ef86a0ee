#!/usr/bin/env python3
"""Callplane against Kamailio from one bench run: per step, each server's CPU per request
in µs and the ratio, then the highest clean rate of each and the ratio of the two.

    ratios.py CALLPLANE.json KAMAILIO.json [--max-fail-pct P]

A step is clean when sipp saw no retransmission and at most P % of its calls failed
(default 0; the call bench uses 1, as its goal does). A server's clean rate is the highest
step before its first unclean one; when every step was clean, its ceiling was not
reached and the rate is shown with "≥". A repeated rate (the REGISTER bench repeats its
first step) is marked "(again)".
"""
import json
import sys


def steps(path):
    return json.load(open(path))


def clean(step, max_fail):
    return step.get("retransmissions", 0) == 0 and step.get("fail_pct", 100) <= max_fail


def clean_rate(series, max_fail):
    best = 0
    for s in series:
        if not clean(s, max_fail):
            return best, False
        best = max(best, s["target_rate"])
    return best, True


def us_per_request(step):
    rate = step.get("sustained_success_rate") or step["target_rate"]
    return step["cpu"]["server"]["avg_cpu_pct"] / 100 * 1e6 / rate if rate else float("nan")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    max_fail = 0.0
    if "--max-fail-pct" in sys.argv:
        max_fail = float(sys.argv[sys.argv.index("--max-fail-pct") + 1])
        args.remove(sys.argv[sys.argv.index("--max-fail-pct") + 1])
    if len(args) != 2:
        sys.exit(__doc__)
    cp, kam = steps(args[0]), steps(args[1])
    print("| target/s | Callplane µs | Kamailio µs | Callplane / Kamailio | Callplane clean | Kamailio clean |")
    print("|---|---|---|---|---|---|")
    seen = set()
    for a, b in zip(cp, kam):
        rate = a["target_rate"]
        label = f"{rate:,}" + (" (again)" if rate in seen else "")
        seen.add(rate)
        ua, ub = us_per_request(a), us_per_request(b)
        print(f"| {label} | {ua:.0f} | {ub:.0f} | {ua / ub:.2f} | "
              f"{'yes' if clean(a, max_fail) else 'no'} | {'yes' if clean(b, max_fail) else 'no'} |")
    (ca, open_a), (cb, open_b) = clean_rate(cp, max_fail), clean_rate(kam, max_fail)
    shown = lambda r, open_: f"{'≥ ' if open_ else ''}{r:,}/s"
    ratio = f"{ca / cb:.2f}×" if cb else "n/a"
    if open_a and not open_b:
        ratio = "≥ " + ratio
    elif open_b and not open_a:
        ratio = "≤ " + ratio
    elif open_a and open_b:
        ratio = "both ceilings above the steps offered (" + ratio + ")"
    print(f"\nhighest clean rate: Callplane {shown(ca, open_a)}, Kamailio {shown(cb, open_b)}: {ratio}")


if __name__ == "__main__":
    main()
