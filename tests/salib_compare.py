"""Compares revsim's sensitivity indices with SALib's on the same sample and outputs.

Usage: python salib_compare.py DIR   (DIR holds what tests/salib.rs wrote)
  sobol_y.csv    the outputs of a Saltelli design (A, AB_1..AB_k, B per row), one a line
  sobol.csv      revsim's S1 and ST per factor: factor,S1,ST
  morris_x.csv   the Morris design's unit points, k a line; morris_y.csv its outputs
  morris.csv     revsim's mu, mu_star, sigma per factor
Exits 1 naming the first index that differs by more than 1e-9.
"""
import sys

import numpy as np
from SALib.analyze import morris, sobol

folder = sys.argv[1]
load = lambda name: np.loadtxt(f"{folder}/{name}", delimiter=",", ndmin=1)
ours_sobol = np.loadtxt(f"{folder}/sobol.csv", delimiter=",", ndmin=2)
ours_morris = np.loadtxt(f"{folder}/morris.csv", delimiter=",", ndmin=2)
k = ours_sobol.shape[0]
problem = {"num_vars": k, "names": [f"x{i + 1}" for i in range(k)], "bounds": [[0.0, 1.0]] * k}

worst = 0.0
failed = []


def compare(what, theirs, ours):
    global worst
    for i, (t, o) in enumerate(zip(theirs, ours)):
        difference = abs(t - o)
        worst = max(worst, difference)
        if difference > 1e-9:
            failed.append(f"{what} of x{i + 1}: SALib {t!r}, revsim {o!r}")


s = sobol.analyze(problem, load("sobol_y.csv"), calc_second_order=False, print_to_console=False)
compare("S1", s["S1"], ours_sobol[:, 1])
compare("ST", s["ST"], ours_sobol[:, 2])
m = morris.analyze(problem, np.loadtxt(f"{folder}/morris_x.csv", delimiter=",", ndmin=2),
                   load("morris_y.csv"), num_levels=4, print_to_console=False)
compare("mu", m["mu"], ours_morris[:, 1])
compare("mu_star", m["mu_star"], ours_morris[:, 2])
compare("sigma", m["sigma"], ours_morris[:, 3])
if failed:
    print("\n".join(failed))
    sys.exit(1)
print(f"SALib and revsim agree on {5 * k} indices; largest difference {worst:.3g}")
