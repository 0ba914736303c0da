"""The benchmark scripts behind one command (`./dev bench`): list them, run one, or run the quick set.

    ./dev bench                     # list every script with the first line of its docstring
    ./dev bench NAME [ARGS...]      # run benchmarks/NAME.py ARGS (e.g. ./dev bench bench_api 1000)
    ./dev bench --quick             # the quick set (a few minutes): reading speed, the Python API, event typing

Each script prints its figures; they go to docs/benchmarks.md by hand, with the command that made them.
Figures are only comparable within one run on one machine (the paired scripts say so).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = (("bench_foundation", []), ("bench_api", ["1000"]), ("eval_events", []))


def scripts() -> dict[str, str]:
    """Every benchmark script (``benchmarks/*.py`` but this runner and private modules) -> its docstring's first line."""
    found: dict[str, str] = {}
    for path in sorted(HERE.glob("*.py")):
        if path.name.startswith("_") or path.name == Path(__file__).name:
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        found[path.stem] = doc.strip().splitlines()[0] if doc.strip() else "(no description)"
    return found


def run(name: str, args: list[str]) -> int:
    print(f"$ python benchmarks/{name}.py {' '.join(args)}".rstrip(), flush=True)
    return subprocess.call([sys.executable, str(HERE / f"{name}.py"), *args])


def main(argv: list[str]) -> int:
    known = scripts()
    if not argv or argv[0] in ("-l", "--list"):
        width = max(map(len, known))
        for name, line in known.items():
            print(f"{name:<{width}}  {line}")
        return 0
    if argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if argv[0] == "--quick":
        failed = [name for name, args in QUICK if run(name, args) != 0]
        if failed:
            print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1 if failed else 0
    name = argv[0].removesuffix(".py").removeprefix("benchmarks/")
    if name not in known:
        print(f"no benchmark named {name!r}; ./dev bench lists them", file=sys.stderr)
        return 2
    return run(name, argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
