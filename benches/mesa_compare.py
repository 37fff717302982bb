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
revsim's speed at 40 x 40, printing the ratio. The speed seeds (`--speed-seeds`, 5) are
timed in turn, each Mesa run straight after a `revsim bench` run, so that on a shared
machine both see the same load; it prints the ratio for each seed, their median and range.
`--other-revsim BIN` benches a second binary (an older build, say) in the same turns.

Usage (from the repository root):
    pip install mesa==3.3.1 networkx
    cargo build --release
    python3 benches/mesa_compare.py [--seeds 20] [--steps 200] [--revsim target/release/revsim]
        [--speed-seeds 5] [--other-revsim OLD_BINARY]

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


def bench_rate(binary):
    """revsim's agent-updates per second at 40 x 40 (`revsim bench --only classic_40`)."""
    bench = subprocess.run([binary, "bench", "--only", "classic_40", "--json"],
                           check=True, capture_output=True, text=True)
    report = json.loads(bench.stdout)
    case = next(case for case in report["cases"] if case["name"] == "classic_40")
    return case["agent_updates_per_second"]


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
                        help="seeds timed again, as shipped and with Mesa's DataCollector "
                             "switched off, each beside a revsim bench run")
    parser.add_argument("--other-revsim",
                        help="a second revsim binary benched beside the first, for a "
                             "before/after ratio in one sitting")
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
    print()
    print(f"Mesa speed at 40 x 40 over the {n} seeds above (same machine): {shipped:,.0f} "
          f"agent-updates/s as shipped (DataCollector on)")
    binaries = [("revsim", args.revsim)]
    if args.other_revsim:
        binaries.append(("other", args.other_revsim))
    turns = []
    for seed in range(1, args.speed_seeds + 1):
        rates = {name: bench_rate(binary) for name, binary in binaries}
        _, seconds, agents = run_mesa(seed, args.steps)
        mesa = agents * args.steps / seconds
        _, seconds, agents = run_mesa(seed, args.steps, collect=False)
        bare = agents * args.steps / seconds
        turns.append((seed, rates, mesa, bare))
        print(f"  seed {seed:>3}: Mesa {mesa:,.0f}/s as shipped, {bare:,.0f}/s bare; "
              + "; ".join(f"{name} {rate:,.0f}/s = {rate / mesa:,.0f} x shipped, "
                          f"{rate / bare:,.0f} x bare" for name, rate in rates.items()),
              flush=True)
    for name, binary in binaries:
        shipped_ratios = [rates[name] / mesa for _, rates, mesa, _ in turns]
        bare_ratios = [rates[name] / bare for _, rates, _, bare in turns]
        print(f"{name} ({binary}) at 40 x 40, ratio to Mesa over {len(turns)} seeds: "
              f"median {statistics.median(shipped_ratios):,.0f} x as shipped (range "
              f"{min(shipped_ratios):,.0f}-{max(shipped_ratios):,.0f}), median "
              f"{statistics.median(bare_ratios):,.0f} x without data collection (range "
              f"{min(bare_ratios):,.0f}-{max(bare_ratios):,.0f}) (target: 1,000 x)")
    if args.other_revsim:
        speedups = [rates["revsim"] / rates["other"] for _, rates, _, _ in turns]
        print(f"revsim / other: median {statistics.median(speedups):.2f} x (range "
              f"{min(speedups):.2f}-{max(speedups):.2f})")
    print()
    print("the models agree" if agree else "the models DO NOT agree")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
