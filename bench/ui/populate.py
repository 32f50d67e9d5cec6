#!/usr/bin/env python3
"""Writes the UI benchmark's world: DAG files and a state database full of finished runs.

    populate.py DAGS_DIR DATABASE [--dags 1000] [--runs 10000] [--broken 10]

DAGS_DIR gets --dags YAML files (dag_0000.yaml ...), --broken of them with mistakes; each
valid DAG has 8 shell tasks (a fan-out and a join). DATABASE must already hold sluice's
schema (any `sluice` verb with --home creates it); it gets --runs finished runs spread evenly
over the valid DAGs, one a day going back from yesterday, with their task instances and one
attempt per task that ran, in one transaction. About 1 in 12 runs failed (its `load` task
failed, `report` upstream failed). Nothing is left queued or running, so a scheduler started
on it has nothing to do but serve the UI.
"""
import argparse
import datetime as dt
import os
import random
import sqlite3

TASKS = [  # (id, depends_on)
    ("extract_a", []), ("extract_b", []), ("extract_c", []),
    ("clean", ["extract_a", "extract_b", "extract_c"]),
    ("enrich", ["clean"]), ("load", ["enrich"]), ("check", ["load"]), ("report", ["check"]),
]


def dag_yaml(i):
    lines = [f"dag: dag_{i:04d}",
             f"description: Benchmark DAG {i} — eight shell tasks, fan-out and join",
             f'schedule: "{i % 60} 3 * * *"', "tasks:"]
    for task, deps in TASKS:
        dep = f", depends_on: [{', '.join(deps)}]" if deps else ""
        lines.append(f'  - {{id: {task}, plugin: shell{dep}, with: {{command: "true"}}}}')
    return "\n".join(lines) + "\n"


def broken_yaml(i):
    return (f"dag: broken_{i:04d}\ntasks:\n  - {{id: a, plugin: shel, with: {{command: \"true\"}}}}\n"
            f"  - {{id: b, plugin: shell, depends_on: [zz], with: {{command: \"true\"}}}}\n")


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dags_dir")
    ap.add_argument("database")
    ap.add_argument("--dags", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=10000)
    ap.add_argument("--broken", type=int, default=10)
    args = ap.parse_args()
    rng = random.Random(6)

    os.makedirs(args.dags_dir, exist_ok=True)
    valid = args.dags - args.broken
    for i in range(valid):
        with open(os.path.join(args.dags_dir, f"dag_{i:04d}.yaml"), "w") as f:
            f.write(dag_yaml(i))
    for i in range(args.broken):
        with open(os.path.join(args.dags_dir, f"broken_{i:04d}.yaml"), "w") as f:
            f.write(broken_yaml(i))

    db = sqlite3.connect(args.database)
    today = dt.datetime.now(dt.timezone.utc).replace(hour=3, minute=0, second=0, microsecond=0)
    runs, tis, attempts = [], [], []
    for n in range(args.runs):
        dag = n % valid
        day = n // valid + 1
        fire = today - dt.timedelta(days=day) + dt.timedelta(minutes=dag % 60)
        run_id = fire.strftime("%Y%m%dT%H%M%S") + f"-{rng.getrandbits(24):06x}"
        failed = rng.random() < 1 / 12
        start = fire + dt.timedelta(milliseconds=rng.randint(5, 400))
        t = start
        for pos, (task, _) in enumerate(TASKS):
            if failed and task in ("check", "report"):
                tis.append((run_id, task, pos, "upstream_failed", 0, "", ""))
                continue
            took = dt.timedelta(milliseconds=rng.randint(20, 3000))
            state = "failed" if failed and task == "load" else "success"
            tis.append((run_id, task, pos, state, 1, stamp(t), stamp(t + took)))
            attempts.append((run_id, task, 1, state, 10000 + pos, stamp(t), stamp(t + took),
                             1 if state == "failed" else 0,
                             "command exited with code 1" if state == "failed" else "",
                             rng.randint(0, 10**6), rng.randint(0, 10**6), rng.randint(0, 10**8),
                             rng.randint(8000, 90000)))
            t += took
        runs.append((run_id, f"dag_{dag:04d}", "failed" if failed else "success", "schedule",
                     stamp(fire), stamp(fire - dt.timedelta(days=1)), stamp(fire),
                     f"dags/dag_{dag:04d}.yaml", stamp(fire), stamp(start), stamp(t)))
    with db:
        db.executemany(
            'INSERT INTO runs (run_id, dag_id, state, "trigger", logical_date, data_interval_start,'
            " data_interval_end, dag_file, created_at, started_at, ended_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)", runs)
        db.executemany(
            "INSERT INTO task_instances (run_id, task_id, position, state, attempts, started_at,"
            " ended_at) VALUES (?,?,?,?,?,?,?)", tis)
        db.executemany(
            "INSERT INTO attempts (run_id, task_id, attempt, state, pid, started_at, ended_at,"
            " exit_code, error, rows_in, rows_out, bytes_out, peak_rss_kb)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", attempts)
    db.close()
    print(f"populate: {args.dags} DAG files ({args.broken} broken), {len(runs)} runs, "
          f"{len(tis)} task instances, {len(attempts)} attempts")


if __name__ == "__main__":
    main()
