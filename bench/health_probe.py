"""GET /healthz every `--interval` seconds from a process of its own, latencies in ms to `--out`.

Run by bench_serving.py while it measures: in its own process the probe's latency is the
server's, not the delay of the benchmark's own event loop (which drives hundreds of requests
at once). Blocking `http.client` on one kept-alive connection, reconnecting after an error;
stops on SIGTERM and writes one line per probe: its latency, and when it was sent (seconds since
the probe started).
"""

from __future__ import annotations

import argparse
import http.client
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

_running = True


def _stop(_signum: int, _frame: object) -> None:
    global _running
    _running = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--interval", type=float, default=0.02)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop)
    url = urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    latencies: list[float] = []
    sent: list[float] = []
    began = time.perf_counter()
    connection: http.client.HTTPConnection | None = None
    Path(args.out + ".ready").write_text("ready")
    while _running:
        started = time.perf_counter()
        sent.append(started - began)
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=60)
            connection.request("GET", url.path or "/")
            connection.getresponse().read()
            latencies.append((time.perf_counter() - started) * 1000)
        except (OSError, http.client.HTTPException):
            if connection is not None:
                connection.close()
            connection = None
            latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(args.interval)
    lines = (f"{ms:.3f} {at:.3f}\n" for ms, at in zip(latencies, sent, strict=True))
    Path(args.out).write_text("".join(lines))


if __name__ == "__main__":
    main()
