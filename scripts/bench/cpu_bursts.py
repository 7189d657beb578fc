#!/usr/bin/env python3
"""Which threads on this machine take the CPU in bursts, and how often.

Why: the latency run's tail at 40,000 msg/s comes in episodes, and some of
them are not hearth's, the broker's or Redis's doing. This samples every
thread's run time (/proc/*/task/*/schedstat, nanoseconds) every --interval
seconds for --seconds, and prints the threads that ran longest, with the
windows in which each ran more than --burst-ms and the median gap between
those windows, and how often each was switched in (schedstat's third
field: every wake-up or preemption costs one, and on this VM a wake-up
across cores takes ~25 µs). Run it beside `hearth bench pipeline` or alone
on an idle machine.

It only reads /proc, so it needs no privileges, but each pass reads every
thread's file: keep --interval at 0.1 s or more so the sampler is not the
disturbance. (At 0.02 s it caused episodes of its own.)

    python3 scripts/bench/cpu_bursts.py --seconds 10
"""
import argparse
import os
import statistics
import sys
import time


def snapshot():
    """Run time in nanoseconds and times switched in, of every thread, by thread id."""
    times = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    fields = f.read().split()
                    times[tid] = (pid, int(fields[0]), int(fields[2]))
            except (OSError, ValueError, IndexError):
                pass
    return times


def name_of(pid, tid):
    try:
        with open(f"/proc/{pid}/task/{tid}/comm") as f:
            thread = f.read().strip()
        with open(f"/proc/{pid}/comm") as f:
            process = f.read().strip()
        return f"{process}/{thread}" if process != thread else thread
    except OSError:
        return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--burst-ms", type=float, default=3, help="a window with more run time than this counts as a burst")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    if args.interval < 0.05:
        sys.exit("cpu_bursts: --interval below 0.05 s makes the sampler the disturbance; use 0.1")

    start = time.monotonic()
    previous = snapshot()
    names, totals, switches, bursts = {}, {}, {}, {}
    while time.monotonic() - start < args.seconds:
        time.sleep(args.interval)
        at = time.monotonic() - start
        current = snapshot()
        for tid, (pid, ran, slices) in current.items():
            _, ran_before, slices_before = previous.get(tid, (pid, ran, slices))
            delta = ran - ran_before
            if delta <= 0:
                continue
            switches[tid] = switches.get(tid, 0) + slices - slices_before
            if tid not in names:
                names[tid] = name_of(pid, tid)
            totals[tid] = totals.get(tid, 0) + delta
            if delta > args.burst_ms * 1e6:
                bursts.setdefault(tid, []).append((at, delta))
        previous = current

    elapsed = time.monotonic() - start
    print(f"{elapsed:.1f} s sampled every {args.interval} s; bursts are windows with more than {args.burst_ms} ms of run time")
    for tid in sorted(totals, key=lambda t: -totals[t])[: args.top]:
        line = f"{100 * totals[tid] / 1e9 / elapsed:5.1f}% of a core  {switches[tid] / elapsed:7.0f} switches/s  {names[tid]:<32} tid {tid:<7}"
        found = bursts.get(tid, [])
        if found:
            gaps = [b[0] - a[0] for a, b in zip(found, found[1:])]
            gap = f", median gap {statistics.median(gaps):.2f} s" if gaps else ""
            line += f" {len(found)} bursts, largest {max(d for _, d in found) / 1e6:.1f} ms{gap}"
        print(line)


if __name__ == "__main__":
    main()
