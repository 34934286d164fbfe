"""What it costs to look at a document without building it: libyaml, kruise-render's look, and
rapidyaml when it is installed (it is not a dependency: docs/performance.md, "Below the parse").

    python benchmarks/scanners.py [--size 10000] [--native]

CPU time per document, best of `--repeat`, over every document of a generated corpus (the
mostly-native one with --native), each piece cut as the reader cuts it.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import corpus_gen  # noqa: E402
import yaml  # noqa: E402

from kruise_render.options import Limits  # noqa: E402
from kruise_render.yaml import codec, look, reader  # noqa: E402

LIMITS = Limits()


def _raw_parse(text: str) -> None:
    parser = yaml.cyaml.CParser(text)
    try:
        parser.raw_parse()
    finally:
        parser.dispose()


def _events(text: str) -> None:
    for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
        pass


def _rapidyaml() -> dict[str, Callable[[str], object]]:
    try:
        import ryml  # type: ignore[import-not-found]
    except ImportError:
        return {}

    def tree(text: str) -> object:
        return ryml.parse_in_arena(text.encode("utf-8"))

    def header(text: str) -> object:
        t = ryml.parse_in_arena(text.encode("utf-8"))
        root = t.root_id()
        found = [t.find_child(root, key) for key in (b"apiVersion", b"kind", b"metadata")]
        meta = found[2]
        name = t.find_child(meta, b"name") if meta != ryml.NONE else ryml.NONE
        return [bytes(t.val(n)) for n in (*found[:2], name) if n != ryml.NONE]

    return {"rapidyaml tree (parse_in_arena)": tree, "rapidyaml header (find_child)": header}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--native", action="store_true", help="the mostly-native corpus (no SidecarSet)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus_gen.generate(tmp, args.size, native=args.native)
        pieces = []
        for path in files:
            with open(path, encoding="utf-8") as handle:
                pieces.extend(piece for _, piece in reader.split(handle.read()))
    candidates: dict[str, Callable[[str], object]] = {
        "libyaml raw_parse (C, nothing built)": _raw_parse,
        "libyaml events (yaml.parse)": _events,
        "kruise-render look.read (held as text)": lambda text: look.read(text, LIMITS),
        "kruise-render look.read, no labels": lambda text: look.read(text, LIMITS, templates=False),
        "kruise-render codec.load (built)": lambda text: codec.load(text, LIMITS),
        "PyYAML CSafeLoader load": lambda text: yaml.load(text, Loader=yaml.CSafeLoader),
        **_rapidyaml(),
    }
    vouched = sum(1 for piece in pieces if look.read(piece, LIMITS) is not None)
    print(f"{len(pieces):,} documents, {sum(map(len, pieces)) / 1e6:.2f} MB; look vouches for {vouched:,}")
    for name, run in candidates.items():
        best = min(_timed(run, pieces) for _ in range(args.repeat))
        print(f"{name:45} {best:7.3f} s  {1e6 * best / len(pieces):7.1f} us/doc")
    return 0


def _timed(run: Callable[[str], object], pieces: list[str]) -> float:
    start = time.process_time()
    for piece in pieces:
        run(piece)
    return time.process_time() - start


if __name__ == "__main__":
    sys.exit(main())
