"""A real Redis for the tests that need one (the store, single flight across replicas, jobs).

CI (`.ci/run`) installs the Debian package, starts `redis-server` on loopback and exports
PM_TEST_REDIS_URL; it also sets PM_CI_REQUIRE_REDIS=1, so there a missing Redis fails the run
instead of skipping. Locally the tests start their own server when `redis-server` is on PATH
(`apt-get install redis-server`), and skip with that hint when it is not.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@contextmanager
def running_redis() -> Iterator[str]:
    given = os.environ.get("PM_TEST_REDIS_URL")
    if given:
        if not _answers(given):
            pytest.fail(f"PM_TEST_REDIS_URL={given} does not answer PING")
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        message = (
            "redis-server is not installed: the Redis store and job tests need a real one "
            "(apt-get install redis-server)"
        )
        if os.environ.get("PM_CI_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            if _answers(url):
                break
            time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
