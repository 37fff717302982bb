#!/usr/bin/env python3
"""Checks `revsim classic epstein --variant mesa` against Mesa's own Epstein model.

Runs Mesa 3.3's example model (mesa/examples/advanced/epstein_civil_violence, shipped inside
the mesa package) and revsim's Mesa variant over the same seeds at the same parameters (the
defaults of `revsim classic epstein`: 40 x 40, citizen density 0.7, cop density 0.04,
vision 7, L 0.82, J_max 30, T 0.1, k 2.3), 200 steps each, and compares two statistics of
each run: the mean share of citizens active over steps 1-200 and the peak share active.

The two models use different random generators, so runs are compared as ensembles, not seed
by seed. They agree when, for both statistics, the ensemble means differ by at most three
standard errors of the difference, sqrt(sd_revsim^2/n + sd_mesa^2/n): a two-sided z-test at
the 0.3 % level. Both statistics vary a lot from seed to seed (outbursts are rare events), so
the tolerance is wide in relative terms; the table prints it beside each difference.

Then it times Mesa's model (agent-updates per second: agents x steps / seconds of `step()`,
as shipped, with its DataCollector, and again without it) and asks `revsim bench` for
revsim's speed at 40 x 40, printing the ratio.

Usage (from the repository root):
    pip install mesa==3.3.1 networkx
    cargo build --release
    python3 benches/mesa_compare.py [--seeds 20] [--steps 200] [--revsim target/release/revsim]

Exit status: 0 when the models agree, 1 when they do not, 2 when Mesa or revsim is missing.
"""

import argparse
import csv
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

PARAMS = dict(
    width=40,
    height=40,
    citizen_density=0.7,
    cop_density=0.04,
    vision=7,
    legitimacy=0.82,
    max_jail=30,
    threshold=0.1,
    k=2.3,
)


def mesa_model(seed):
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    return EpsteinCivilViolence(
        width=PARAMS["width"],
        height=PARAMS["height"],
        citizen_density=PARAMS["citizen_density"],
        cop_density=PARAMS["cop_density"],
        citizen_vision=PARAMS["vision"],
        cop_vision=PARAMS["vision"],
        legitimacy=PARAMS["legitimacy"],
        max_jail_term=PARAMS["max_jail"],
        active_threshold=PARAMS["threshold"],
        arrest_prob_constant=PARAMS["k"],
        seed=seed,
    )


def run_mesa(seed, steps, collect=True):
    """Share active after each step, and the seconds spent in step()."""
    model = mesa_model(seed)
    if not collect:
        model.datacollector.collect = lambda _model: None
    shares = []
    seconds = 0.0
    for _ in range(steps):
        started = time.perf_counter()
        model.step()
        seconds += time.perf_counter() - started
        citizens = model.ACTIVE + model.QUIET + model.ARRESTED
        shares.append(model.ACTIVE / citizens if citizens else 0.0)
    return shares, seconds, len(model.agents)


def run_revsim(binary, seed, steps, out):
    args = [binary, "classic", "epstein", "--variant", "mesa", "--seed", str(seed),
            "--steps", str(steps), "--out", out, "--no-plots"]
    for name, value in PARAMS.items():
        args += ["--" + name.replace("_", "-"), str(value)]
    subprocess.run(args, check=True, capture_output=True)
    shares = {}
    with open(os.path.join(out, "timeseries.csv"), newline="") as handle:
        for row in csv.DictReader(handle):
            if row["metric"] == "active" and int(row["step"]) > 0:
                shares[int(row["step"])] = float(row["value"])
    return [shares[s] for s in sorted(shares)]


def summary(values):
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return mean, sd


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--revsim", default=os.path.join("target", "release", "revsim"))
    parser.add_argument("--speed-seeds", type=int, default=5,
                        help="seeds timed again with Mesa's DataCollector switched off")
    args = parser.parse_args()

    try:
        import mesa
    except ImportError:
        print("Mesa is not installed: pip install mesa==3.3.1 networkx", file=sys.stderr)
        return 2
    if not os.path.exists(args.revsim):
        print(f"no revsim binary at {args.revsim}: run cargo build --release", file=sys.stderr)
        return 2

    print(f"Mesa {mesa.__version__} epstein_civil_violence vs revsim --variant mesa: "
          f"{args.seeds} seeds x {args.steps} steps, "
          + ", ".join(f"{k} {v}" for k, v in PARAMS.items()))
    stats = {"mesa": {"mean": [], "peak": []}, "revsim": {"mean": [], "peak": []}}
    mesa_seconds = 0.0
    mesa_updates = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, args.seeds + 1):
            shares, seconds, agents = run_mesa(seed, args.steps)
            mesa_seconds += seconds
            mesa_updates += agents * args.steps
            ours = run_revsim(args.revsim, seed, args.steps, os.path.join(tmp, str(seed)))
            for name, series in (("mesa", shares), ("revsim", ours)):
                stats[name]["mean"].append(statistics.fmean(series))
                stats[name]["peak"].append(max(series))
            print(f"  seed {seed:>3}: mean active mesa {stats['mesa']['mean'][-1]:.4f} "
                  f"revsim {stats['revsim']['mean'][-1]:.4f}; peak mesa "
                  f"{stats['mesa']['peak'][-1]:.4f} revsim {stats['revsim']['peak'][-1]:.4f}",
                  flush=True)

    n = args.seeds
    agree = True
    print()
    print(f"| statistic (over {n} seeds) | revsim mean (sd) | Mesa mean (sd) | difference "
          f"| tolerance (3 SE) | agree |")
    print("|---|---|---|---|---|---|")
    for key, label in (("mean", "mean share active, steps 1-200"),
                       ("peak", "peak share active, steps 1-200")):
        ours, ours_sd = summary(stats["revsim"][key])
        theirs, theirs_sd = summary(stats["mesa"][key])
        tolerance = 3.0 * math.sqrt(ours_sd ** 2 / n + theirs_sd ** 2 / n)
        ok = abs(ours - theirs) <= tolerance
        agree = agree and ok
        print(f"| {label} | {ours:.4f} ({ours_sd:.4f}) | {theirs:.4f} ({theirs_sd:.4f}) "
              f"| {ours - theirs:+.4f} | {tolerance:.4f} | {'yes' if ok else 'NO'} |")

    shipped = mesa_updates / mesa_seconds
    quiet_seconds = 0.0
    quiet_updates = 0
    for seed in range(1, args.speed_seeds + 1):
        _, seconds, agents = run_mesa(seed, args.steps, collect=False)
        quiet_seconds += seconds
        quiet_updates += agents * args.steps
    bare = quiet_updates / quiet_seconds if quiet_seconds else float("nan")
    print()
    print(f"Mesa speed at 40 x 40 (same machine): {shipped:,.0f} agent-updates/s as shipped "
          f"(DataCollector on), {bare:,.0f} without data collection")
    bench = subprocess.run([args.revsim, "bench", "--only", "classic_40", "--json"],
                           check=True, capture_output=True, text=True)
    report = json.loads(bench.stdout)
    ours = next(case for case in report["cases"] if case["name"] == "classic_40")
    rate = ours["agent_updates_per_second"]
    print(f"revsim classic epstein at 40 x 40: {rate:,.0f} agent-updates/s: "
          f"{rate / shipped:,.0f} x Mesa as shipped, {rate / bare:,.0f} x Mesa without "
          f"data collection (target: 1,000 x)")
    print()
    print("the models agree" if agree else "the models DO NOT agree")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
