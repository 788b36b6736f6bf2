"""How every `wbs bench` prints: a table for people, or one JSON object with --json."""

import json
import statistics
import time
from collections.abc import Callable
from typing import Any, Protocol


class Writable(Protocol):
    def write(self, text: str) -> object: ...


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def print_report(
    out: Writable, *, title: str, method: str, rows: list[dict[str, Any]], as_json: bool
) -> None:
    if as_json:
        out.write(json.dumps({"benchmark": title, "method": method, "results": rows}, indent=2) + "\n")
        return
    out.write(f"{title}\n{'=' * len(title)}\n{method}\n\n")
    for row in rows:
        out.write(f"{row['measure']}\n")
        for key, value in row.items():
            if key == "measure":
                continue
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            out.write(f"  {key:<28} {shown}\n")
        out.write("\n")
