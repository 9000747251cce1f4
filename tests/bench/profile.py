"""Summarise py-spy's collapsed stacks: where the API processes spend their time.

    .venv/bin/python -m tests.bench.profile var/bench/profile-*.txt [--top 40]

Prints the share of samples in which each function appears (inclusive) and the
share where it is the innermost frame of our code or a library (self)."""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="only frames whose text contains this")
    args = parser.parse_args(argv)
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for name in args.files:
        for line in Path(name).read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not count_text.isdigit():
                continue
            count = int(count_text)
            frames = stack.split(";")
            total += count
            for frame in set(frames):
                if args.match in frame:
                    inclusive[frame] += count
            own[frames[-1]] += count
    print(f"{total} samples")
    print("inclusive:")
    for frame, count in inclusive.most_common(args.top):
        print(f"  {100 * count / total:5.1f}%  {frame[:150]}")
    print("self:")
    for frame, count in own.most_common(args.top // 2):
        print(f"  {100 * count / total:5.1f}%  {frame[:150]}")


if __name__ == "__main__":
    main(sys.argv[1:])
