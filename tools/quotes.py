#!/usr/bin/env python3
"""Writes assets/quotes.toml: for every passage the scenarios and the emergent events cite
(`NNN:L` or `NNN:L-M`), the one sentence of the cited lines that shares the most words with
the claims citing it (the scenario's `about` or the event's description), quoted verbatim
from ../shared/seeds/NNN_*.txt and cut to at most 300 characters at a word. Run it from the
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


def cut(sentence):
    if len(sentence) <= MAX:
        return sentence
    return sentence[:MAX].rsplit(" ", 1)[0]


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
    best, score = None, -1
    for n in range(first, min(last, len(lines)) + 1):
        for s in sentences(lines[n - 1]):
            if len(s) < 20:
                continue
            overlap = len(words & set(WORD.findall(s.lower())))
            if overlap > score:
                best, score = (n, cut(s)), overlap
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
