"""Where a page's time goes: pyinstrument over N test-client requests on a bench database.

    python -m bench.profile sqlite:////tmp/cocrea-bench-1.db /themes/<slug> [-n 100]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pyinstrument import Profiler  # noqa: E402

from app import create_app  # noqa: E402
from bench.config import bench_config  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("path")
    parser.add_argument("-n", "--requests", type=int, default=100)
    parser.add_argument("--html", type=Path, help="write pyinstrument's HTML report here")
    args = parser.parse_args(argv)
    app = create_app(bench_config(args.database_url))
    client = app.test_client()
    for _ in range(10):
        client.get(args.path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.stop()
    if args.html:
        args.html.write_text(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
