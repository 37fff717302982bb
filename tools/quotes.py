#!/usr/bin/env python3
"""Writes assets/quotes.toml: for every passage the scenarios and the emergent events cite
(`NNN:L` or `NNN:L-M`), the one sentence of the cited lines that shares the most words with
the claims citing it (the scenario's `about` or the event's description), quoted verbatim
from ../shared/seeds/NNN_*.txt; a sentence over 300 characters gives its best run of clauses
instead, marked "…" where it was cut. Run it from the
repository root when the texts or the citations change; `cargo test` checks every quote
against the texts when they are at hand.

    python3 tools/quotes.py [SEEDS_DIR]
"""
import glob
import os
import re
import sys
import tomllib

SEEDS = sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds"
CITE = re.compile(r"\b(\d{3}):(\d+)(?:-(\d+))?")
WORD = re.compile(r"[a-z]{4,}")
MAX = 300

claims = {}  # citation -> claim texts


def add(sources, text):
    for cite in sources:
        for match in CITE.finditer(cite):
            claims.setdefault(match.group(0), []).append(text)


for path in sorted(glob.glob("scenarios/*.toml")):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    scenario = data.get("scenario", {})
    add(scenario.get("sources", []), scenario.get("title", "") + " " + scenario.get("about", ""))
    for event in data.get("events", []):
        add(event.get("sources", []), event.get("description", ""))
for path in sorted(glob.glob("src/systems/*.rs")):
    text = open(path).read()
    for match in re.finditer(r'log\.record\((.*?)\);', text, re.S):
        strings = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
        if len(strings) >= 3:
            add([strings[-1]], " ".join(strings[:-1]))

texts = {}
for path in glob.glob(os.path.join(SEEDS, "*.txt")):
    texts[os.path.basename(path)[:3]] = open(path, encoding="utf-8").read().split("\n")


def sentences(line):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])", line) if s.strip()]


def overlap(text, words):
    return len(words & set(WORD.findall(text.lower())))


def marked(core, cut_before, cut_after):
    """A passage with "…" where it was cut: where a piece was taken, where the line begins or
    ends mid-sentence, and where a word the line breaks ("partici-") was dropped."""
    if core.endswith("-"):
        core, cut_after = core[: core.rfind(" ")].rstrip(" ,;:—"), True
    cut_before = cut_before or core[:1].islower()
    cut_after = cut_after or not core.rstrip("\"”’)*0123456789").endswith((".", "?", "!"))
    return ("…" if cut_before else "") + core + ("…" if cut_after else ""), core


def pieces(sentence):
    """The passages one sentence offers: itself when it is short, else every run of its
    clauses (split after , ; : or a dash) that fits. The text between the "…" is verbatim."""
    if len(sentence) <= MAX:
        return [marked(sentence, False, False)]
    bounds = [0] + [m.end() for m in re.finditer(r"[,;:—]\s+", sentence)] + [len(sentence)]
    out = []
    for i in range(len(bounds) - 1):
        for j in range(i + 1, len(bounds)):
            core = sentence[bounds[i]:bounds[j]].rstrip().rstrip(",;:—").rstrip()
            if len(core) < 20:
                continue
            text, core = marked(core, i > 0, j < len(bounds) - 1)
            if len(text) > MAX:
                break
            out.append((text, core))
    return out


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


out = ["# Short passages quoted in reports, one per citation: the sentence of the cited lines that",
       "# shares the most words with the claims citing it. Written by tools/quotes.py from",
       "# ../shared/seeds; checked against the texts by `cargo test` (report::sources).", ""]
for cite in sorted(claims, key=lambda c: (c[:3], int(CITE.match(c).group(2)), c)):
    m = CITE.match(cite)
    number, first = m.group(1), int(m.group(2))
    last = int(m.group(3) or first)
    lines = texts.get(number)
    if not lines:
        continue
    words = set(WORD.findall(" ".join(claims[cite]).lower()))
    best, score = None, None
    for n in range(first, min(last, len(lines)) + 1):
        for s in sentences(lines[n - 1]):
            if len(s) < 20:
                continue
            for text, core in pieces(s):
                # The most words shared with the claims; then a whole sentence; then the longer.
                key = (overlap(core, words), text == core, len(core))
                if len(core) < 20:
                    continue
                if score is None or key > score:
                    best, score = (n, text), key
    if best is None:
        continue
    out.append("[[quote]]")
    out.append(f"cite = {toml_string(cite)}")
    out.append(f"line = {best[0]}")
    out.append(f"text = {toml_string(best[1])}")
    out.append("")
os.makedirs("assets", exist_ok=True)
with open("assets/quotes.toml", "w", encoding="utf-8") as f:
    f.write("\n".join(out))
print(f"{sum(1 for l in out if l == '[[quote]]')} quotes of {len(claims)} citations")
