#!/usr/bin/env python3
"""Writes the same task graphs for sluice (YAML DAG), ninja (build.ninja) and make (Makefile).

Shapes (fixed seed, so every run and every tool sees the same graph):
  flat    10,000 independent tasks
  chain   1,000 tasks, each depending on the one before
  layers  100 layers x 100 tasks, each depending on 3 random tasks of the layer before
Every task runs `true`.

Also writes 1,000 DAG files of 20 tasks each for the validation benchmark.
"""
import os
import random
import sys


def shapes():
    rng = random.Random(20261123)
    flat = [(f"t{i}", []) for i in range(10000)]
    chain = [(f"t{i}", [f"t{i-1}"] if i else []) for i in range(1000)]
    layers = []
    for layer in range(100):
        for i in range(100):
            deps = []
            if layer:
                deps = [f"l{layer-1}_{j}" for j in sorted(rng.sample(range(100), 3))]
            layers.append((f"l{layer}_{i}", deps))
    return {"flat": flat, "chain": chain, "layers": layers}


def write_sluice(path, name, tasks):
    with open(path, "w") as f:
        f.write(f"dag: {name}\ntasks:\n")
        for tid, deps in tasks:
            f.write(f"  - id: {tid}\n    plugin: shell\n")
            if deps:
                f.write(f"    depends_on: [{', '.join(deps)}]\n")
            f.write("    with: {command: \"true\"}\n")


def write_ninja(path, tasks):
    with open(path, "w") as f:
        f.write("rule t\n  command = true\n\n")
        for tid, deps in tasks:
            f.write(f"build {tid}: t {' '.join(deps)}\n")
        f.write(f"default {' '.join(t for t, _ in tasks)}\n")


def write_make(path, tasks):
    with open(path, "w") as f:
        f.write(f".PHONY: all {' '.join(t for t, _ in tasks)}\n")
        f.write(f"all: {' '.join(t for t, _ in tasks)}\n")
        for tid, deps in tasks:
            f.write(f"{tid}: {' '.join(deps)}\n\ttrue\n")


def write_validation_corpus(folder):
    os.makedirs(folder, exist_ok=True)
    for n in range(1000):
        tasks = [(f"task_{i}", [f"task_{i-1}"] if i else []) for i in range(20)]
        with open(os.path.join(folder, f"dag_{n:04d}.yaml"), "w") as f:
            f.write(f"dag: dag_{n:04d}\ndescription: validation benchmark {n}\n")
            f.write("params:\n  out: /tmp/out\ndefaults:\n  retries: 2\n  retry_delay: 30s\n")
            f.write("tasks:\n")
            for tid, deps in tasks:
                f.write(f"  - id: {tid}\n    plugin: shell\n")
                if deps:
                    f.write(f"    depends_on: [{deps[0]}]\n")
                f.write("    with:\n      command: echo {{ params.out }} {{ ds }}\n")


def main():
    out = sys.argv[1]
    for name, tasks in shapes().items():
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        write_sluice(os.path.join(d, f"{name}.yaml"), name, tasks)
        write_ninja(os.path.join(d, "build.ninja"), tasks)
        write_make(os.path.join(d, "Makefile"), tasks)
    write_validation_corpus(os.path.join(out, "validate"))


if __name__ == "__main__":
    main()
