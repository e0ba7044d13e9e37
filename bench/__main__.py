"""Run the benchmarks named on the command line (default: all of bench/bench_*.py)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time

import django


def available() -> list[str]:
    here = os.path.dirname(__file__)
    return sorted(m.name[len("bench_") :] for m in pkgutil.iter_modules([here]) if m.name.startswith("bench_"))


def main(argv: list[str]) -> int:
    # Benchmarks fill their own database, never the app's: var/bench.sqlite3 unless
    # BENCH_DATABASE_URL names another (a PostgreSQL URL measures the same code there).
    here = os.path.dirname(os.path.abspath(__file__))
    default = "sqlite:///" + os.path.join(os.path.dirname(here), "var", "bench.sqlite3")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", default)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    names = [a for a in argv if not a.startswith("-")] or available()
    options = [a for a in argv if a.startswith("-")]
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}", file=sys.stderr)
        return 2
    if not names:
        print("no benchmarks in bench/", file=sys.stderr)
        return 2
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"=== {name}")
        started = time.perf_counter()
        module.run(options)
        print(f"=== {name} done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
