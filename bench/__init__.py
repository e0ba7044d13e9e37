"""Benchmarks: `make bench` (all) or `make bench BENCH_ARGS="neardup"` (some).

Each module `bench/bench_<name>.py` defines `run(argv: list[str]) -> None`, which measures one
figure and prints it beside a baseline measured in the same run, as `name: figure … (ratio ×
baseline)`. Speed is claimed only from here, never from timed assertions in tests.
"""
