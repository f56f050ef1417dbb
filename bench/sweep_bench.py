#!/usr/bin/env python3
"""Sweep benchmark (issue 9), run by bench/run_bench.sh: `tapedeck sweep` throughput with 1 and 2
worker threads, and the memory of a 2-worker sweep beside one `tapedeck run`, on a tape.

The data is the seeded deleveraging scenario written once as a tape (`tapedeck gen`), so every
run of the sweep replays the same mmap'd file: the workers share its pages through the page
cache instead of each holding a copy. Memory is read from /proc/PID/status while each process
runs (sampled every 10 ms): peak VmHWM (all resident memory), peak RssAnon (the process's own
heap: engine, books, strategy, outputs) and peak RssFile (mapped file pages: the tape and the
binary). RssFile counts a page once per mapping, and each run maps the tape itself, so two
concurrent runs may show it twice although the page cache holds it once; RssAnon is the figure
that would grow if data were copied per worker.

Writes OUT/sweep.json and prints a short text summary. Usage:
  bench/sweep_bench.py --tapedeck BUILD/apps/tapedeck --out DIR [--shard 1/1] [--repeat 1]
"""
import argparse
import json
import os
import subprocess
import sys
import time


def read_status(pid):
    vals = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "RssAnon", "RssFile"):
                    vals[k] = int(v.split()[0])  # kB
    except OSError:
        pass
    return vals


def measure(cmd):
    """Runs cmd; returns wall seconds, peak VmHWM / RssAnon / RssFile in kB, and the CPU seconds
    (user + system) it used: on a shared machine the wall-clock speedup is depressed by other
    load, while CPU seconds per point show whether the second worker adds work of its own."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = {"VmHWM": 0, "RssAnon": 0, "RssFile": 0}
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            break
        for k, v in read_status(p.pid).items():
            peak[k] = max(peak[k], v)
        time.sleep(0.01)
    wall = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("sweep_bench: %s failed (%d)" % (" ".join(cmd), p.returncode))
    peak["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return wall, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tapedeck", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--grid", default="configs/dip_buyer_grid.json")
    ap.add_argument("--config", default="configs/dip_buyer_feb5.json")
    ap.add_argument("--shard", default="1/1", help="the slice of the grid to run (K/N)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per worker count; the fastest counts")
    ap.add_argument("--keep-tape", action="store_true", help="keep OUT/sweep_bench/tape afterwards")
    args = ap.parse_args()

    work = os.path.join(args.out, "sweep_bench")
    os.makedirs(work, exist_ok=True)
    tape_dir = os.path.join(work, "tape")
    tape = os.path.join(tape_dir, "deleveraging.tape")
    with open(args.config) as f:
        config = json.load(f)
    if not os.path.exists(tape):
        subprocess.run([args.tapedeck, "gen", "deleveraging", "--seed", str(config["seed"]),
                        "--out", tape_dir, "--quiet"], check=True)
    config["sources"] = [{"path": os.path.abspath(tape)}]
    config_path = os.path.join(work, "config.json")
    with open(config_path, "w") as f:
        json.dump(config, f, indent=2)

    load_before = open("/proc/loadavg").read().split()[:3]
    result = {"config": args.config, "grid": args.grid, "shard": args.shard,
              "tape_bytes": os.path.getsize(tape), "cores": os.cpu_count()}
    # One run alone: the reference for memory (and for a run's wall time).
    one = [measure([args.tapedeck, "run", config_path, "--quiet", "--out",
                    os.path.join(work, "run")]) for _ in range(args.repeat)]
    wall, peak = min(one, key=lambda x: x[0])
    cpu = peak.pop("cpu_seconds")
    with open(os.path.join(work, "run", "dip_buyer", "summary.json")) as f:
        events = json.load(f)["events"]
    result["run"] = {"wall_seconds": wall, "events": events, "cpu_seconds": cpu, "peak_kb": peak}
    for jobs in (1, 2):
        tries = []
        for _ in range(args.repeat):
            out = os.path.join(work, "sweep-j%d" % jobs)
            tries.append(measure([args.tapedeck, "sweep", config_path, "--grid", args.grid,
                                  "--shard", args.shard, "--jobs", str(jobs), "--quiet",
                                  "--out", out]))
        wall, peak = min(tries, key=lambda x: x[0])
        with open(os.path.join(work, "sweep-j%d" % jobs, "results.json")) as f:
            points = len(json.load(f)["rows"])
        cpu = peak.pop("cpu_seconds")
        result["jobs%d" % jobs] = {"wall_seconds": wall, "points": points,
                                   "points_per_second": points / wall,
                                   "events_per_second": points * events / wall,
                                   "cpu_seconds_per_point": cpu / points,
                                   "cores_used": cpu / wall, "peak_kb": peak}
    with open(os.path.join(work, "sweep-j1", "results.json")) as a, \
            open(os.path.join(work, "sweep-j2", "results.json")) as b:
        result["tables_identical"] = a.read() == b.read()
    result["speedup"] = result["jobs2"]["points_per_second"] / result["jobs1"]["points_per_second"]
    # With autogroup scheduling on, a busy machine shares the CPU between sessions, not threads:
    # a 2-thread sweep then gets no more CPU than a 1-thread one (see cores_used).
    try:
        result["sched_autogroup"] = int(open("/proc/sys/kernel/sched_autogroup_enabled").read())
    except (OSError, ValueError):
        result["sched_autogroup"] = None
    result["loadavg_before"] = load_before
    result["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    with open(os.path.join(args.out, "sweep.json"), "w") as f:
        json.dump(result, f, indent=2)
    if not args.keep_tape:
        os.remove(tape)  # 133 MB; regenerated next time (same seed, same bytes)

    def mb(kb):
        return "%.0f MB" % (kb / 1024)
    print("sweep of %d points (grid %s, shard %s), tape %.0f MB, %d events per run" %
          (result["jobs1"]["points"], args.grid, args.shard, result["tape_bytes"] / 1e6, events))
    for jobs in (1, 2):
        r = result["jobs%d" % jobs]
        print("  --jobs %d: %.2f s, %.2f points/s, %.3f CPU s/point, %.2f cores used, "
              "peak RSS %s (anon %s, file %s)" %
              (jobs, r["wall_seconds"], r["points_per_second"], r["cpu_seconds_per_point"],
               r["cores_used"],
               mb(r["peak_kb"]["VmHWM"]),
               mb(r["peak_kb"]["RssAnon"]), mb(r["peak_kb"]["RssFile"])))
    r = result["run"]
    print("  one run: %.2f s, peak RSS %s (anon %s, file %s)" %
          (r["wall_seconds"], mb(r["peak_kb"]["VmHWM"]), mb(r["peak_kb"]["RssAnon"]),
           mb(r["peak_kb"]["RssFile"])))
    print("  speedup 2 workers / 1: %.2fx; tables identical: %s; load average %s -> %s" %
          (result["speedup"], result["tables_identical"], " ".join(load_before),
           " ".join(result["loadavg_after"])))


if __name__ == "__main__":
    main()
