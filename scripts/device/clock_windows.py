#!/usr/bin/env python3
"""Lays a campaign step's native samples beside the GPU clocks logged while they ran.

    python3 scripts/device/clock_windows.py DIR [--case REGEX] [--slow 1.5]

DIR holds what `scripts/device/campaign.sh step A1` (or A2) wrote: campaign-A1.log, whose native
progress lines are time-stamped (a line ends with its case), clocks-A1.csv or .csv.gz
(nvidia-smi every 50 ms) and r1-native-dawn.json / r1-native-wgpu.json with every case's samples in order
(samples_ms). A case's samples are the last thing it runs, so they are placed backwards from the
time its line came. For each case the REGEX matches, it prints the samples slower than SLOW times
the fastest, where they fell, and the SM clock, memory clock and power at the slow samples and at
the others: a clock dip shows as a lower SM clock at the slow samples, a data-dependent speed as
the same clocks at both.
"""

import argparse
import csv
import datetime
import gzip
import json
import re
import statistics
import sys
from pathlib import Path

PROGRESS = re.compile(r"^(\d\d:\d\d:\d\d\.\d{3}) \[(\d+)/(\d+)\] (dawn|wgpu) (\S+) ")
ROW_START = re.compile(r"^== (\d\d:\d\d:\d\d) row (\S+)")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="a folder with campaign-STEP.log, clocks-STEP.csv and rN-*.json")
    parser.add_argument("--case", default="^stencil$", help="cases to show (a regular expression; default ^stencil$)")
    parser.add_argument("--slow", type=float, default=1.5, help="a sample over this times the fastest is slow")
    return parser.parse_args(argv)


def read_clocks(path):
    """(time, SM MHz, memory MHz, power W, temperature C, event reasons) per reading; the header and
    nvidia-smi's errors are skipped."""
    readings = []
    with (gzip.open if path.suffix == ".gz" else open)(path, "rt", newline="") as f:
        for row in csv.reader(f):
            try:
                when = datetime.datetime.strptime(row[0].strip()[:23], "%Y/%m/%d %H:%M:%S.%f")
                reasons = row[5].strip() if len(row) > 5 else ""
                readings.append((when, float(row[1]), float(row[2]), float(row[3]), float(row[4]), reasons))
            except (IndexError, ValueError):
                continue
    return readings


def case_windows(log_path, day):
    """{(impl, job index): (start, end)} from the time-stamped progress lines of each row."""
    windows, previous = {}, None
    for line in open(log_path, errors="replace"):
        started = ROW_START.match(line)
        if started:
            previous = datetime.datetime.combine(day, datetime.time.fromisoformat(started.group(1)))
            continue
        progress = PROGRESS.match(line)
        if not progress:
            continue
        end = datetime.datetime.combine(day, datetime.time.fromisoformat(progress.group(1)))
        windows[(progress.group(4), int(progress.group(2)) - 1)] = (previous or end, end)
        previous = end
    return windows


def sample_times(samples_ms, end):
    """Each sample's midpoint, placed backwards from the case's end."""
    times, t = [], end
    for ms in reversed(samples_ms):
        times.append(t - datetime.timedelta(milliseconds=ms / 2))
        t -= datetime.timedelta(milliseconds=ms)
    return list(reversed(times))


def nearest(readings, when):
    return min(readings, key=lambda r: abs((r[0] - when).total_seconds()))


def describe(label, readings, times):
    if not times:
        return f"  {label}: none"
    near = [nearest(readings, t) for t in times]
    sm, mem, power, temperature = ([r[k] for r in near] for k in (1, 2, 3, 4))
    reasons = sorted({r[5] for r in near if r[5]})
    return (f"  {label}: {len(times)} samples; nearest readings SM {min(sm):.0f}-{max(sm):.0f} MHz "
            f"(median {statistics.median(sm):.0f}), memory {min(mem):.0f}-{max(mem):.0f} MHz, "
            f"power {min(power):.0f}-{max(power):.0f} W, {min(temperature):.0f}-{max(temperature):.0f} C"
            + (f", event reasons {', '.join(reasons)}" if reasons else ""))


def ramp(readings, first_sample):
    """The SM clock when the timed samples began, and when it last read under 90% of its top."""
    top = max(r[1] for r in readings)
    low = [r[0] for r in readings if r[1] < 0.9 * top]
    text = f"  timed samples from {first_sample:%H:%M:%S.%f}"[:-3] + f": SM {nearest(readings, first_sample)[1]:.0f} MHz then"
    if not low:
        return text + f"; never under 90% of {top:.0f} MHz in the window"
    ms = (max(low) - first_sample).total_seconds() * 1e3
    return text + f"; last under 90% of {top:.0f} MHz at {max(low):%H:%M:%S.%f}"[:-3] + f" ({ms:+.0f} ms from it)"


def report_case(impl, result, window, readings, slow_factor):
    samples = result.get("samples_ms") or []
    name = result["case"] + (f"/{result['variant']}" if result.get("variant") else "")
    if not samples:
        return [f"{impl} {name}: no samples kept ({result.get('error') or 'no samples_ms'})"]
    fastest = min(samples)
    slow = [i for i, ms in enumerate(samples) if ms > slow_factor * fastest]
    lines = [f"{impl} {name}: {len(samples)} samples, fastest {fastest:.3f} ms, slowest {max(samples):.3f} ms; "
             f"{len(slow)} slow (> {slow_factor}x fastest) at positions {slow[:40]}{' ...' if len(slow) > 40 else ''}"]
    in_case = [r for r in readings if window[0] <= r[0] <= window[1]]
    if not in_case:
        return lines + ["  no clock readings in the case's window"]
    times = sample_times(samples, window[1])
    slow_set = set(slow)
    lines.append(f"  window {window[0]:%H:%M:%S.%f}"[:-3] + f" - {window[1]:%H:%M:%S.%f}"[:-3] +
                 f", {len(in_case)} clock readings, SM {min(r[1] for r in in_case):.0f}-{max(r[1] for r in in_case):.0f} MHz")
    lines.append(ramp(in_case, times[0] - datetime.timedelta(milliseconds=samples[0] / 2)))
    lines.append(describe("slow", in_case, [t for i, t in enumerate(times) if i in slow_set]))
    lines.append(describe("fast", in_case, [t for i, t in enumerate(times) if i not in slow_set]))
    return lines


def main(argv):
    args = parse_args(argv)
    pattern = re.compile(args.case)
    logs = sorted(args.dir.glob("campaign-*.log"))
    if not logs:
        sys.exit(f"clock_windows: no campaign-STEP.log in {args.dir}")
    printed = 0
    for log_path in logs:
        step = log_path.stem.split("-", 1)[1]
        clocks_path = next((p for p in (args.dir / f"clocks-{step}.csv", args.dir / f"clocks-{step}.csv.gz") if p.exists()),
                           args.dir / f"clocks-{step}.csv")
        results = {}
        for impl in ("dawn", "wgpu"):
            for path in args.dir.glob(f"r{step[-1]}-native-{impl}.json"):
                results[impl] = json.loads(path.read_text())
        if not results or not clocks_path.exists():
            continue
        readings = read_clocks(clocks_path)
        day = datetime.date.fromisoformat(next(iter(results.values()))["date"][:10])
        windows = case_windows(log_path, day)
        print(f"== step {step}: {len(readings)} clock readings")
        for impl, doc in results.items():
            for index, result in enumerate(doc["results"]):
                name = result["case"] + (f"/{result['variant']}" if result.get("variant") else "")
                if (impl, index) in windows and pattern.search(name):
                    print("\n".join(report_case(impl, result, windows[(impl, index)], readings, args.slow)))
                    printed += 1
    if printed == 0:
        sys.exit(f"clock_windows: no native case matching '{args.case}' with a clock log in {args.dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
