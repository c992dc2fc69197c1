"""The command line: ``rightspasia <command>`` or ``python -m pipeline <command>``; each stage module registers its
own command."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from pipeline import __version__
from pipeline.errors import PipelineError

log = logging.getLogger("pipeline")

# Each module defines ``add_cli(subparsers)``; heavy imports stay inside its handlers so that
# ``--help`` and light commands start fast.
COMMAND_MODULES = (
    "pipeline.scrape",
    "pipeline.parse.stream",
    "pipeline.language",
    "pipeline.extract.batch",
    "pipeline.evaluate",
    "pipeline.orgs_cli",
    "pipeline.export",
    "pipeline.notebooks",
    "pipeline.bench.synth",
    "pipeline.bench.benchmark",
    "pipeline.run",
)


# Modules of the optional extras (pyproject.toml) that some commands import: a missing one is named with the
# extra to install rather than shown as a traceback.
OPTIONAL_MODULES = {
    "nbformat": "notebooks", "nbclient": "notebooks", "nbconvert": "notebooks", "matplotlib": "notebooks",
    "networkx": "notebooks", "pandas": "notebooks", "sklearn": "notebooks", "joblib": "notebooks",
    "dask": "scale", "distributed": "scale", "psutil": "bench",
}
DISTRIBUTION = "rightspasia-pipeline"
SCRIPT = "rightspasia"  # the console script (pyproject.toml)
MODULE_PROG = "python -m pipeline"


def program_name() -> str:
    """The name the CLI was called by, for its usage lines: the console script's or ``python -m pipeline``."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if name == "__main__.py":
        return MODULE_PROG
    return SCRIPT if name in ("", "-c") else name


def _add_verbosity(parser: argparse.ArgumentParser, default: object = False) -> None:
    """-v and -q, accepted before the command and after it (``rightspasia run -q``)."""
    parser.add_argument("-v", "--verbose", action="store_true", default=default, help="debug logging")
    parser.add_argument("-q", "--quiet", action="store_true", default=default, help="warnings and errors only")


def build_parser(prog: str = SCRIPT) -> argparse.ArgumentParser:
    """Assemble the top-level parser from the stage modules; `prog` is the name shown in usage lines."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Scrape Blogger blogs, parse posts, separate languages, extract figures, "
        "organisations and ILO conventions, and export the corpus.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="show the version and exit")
    _add_verbosity(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        add_cli = getattr(module, "add_cli", None)
        if add_cli is not None:
            add_cli(sub)
    for command in sub.choices.values():
        # SUPPRESS: a command's parser sets verbose/quiet only when given there, never resetting the global ones.
        _add_verbosity(command, default=argparse.SUPPRESS)
    return parser


def setup_logging(verbose: bool = False, quiet: bool = False) -> None:
    """Log to stderr with timestamps; progress bars are drawn by tqdm only on a terminal."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Entry point of the console script and of ``python -m pipeline``; `prog` defaults to the name called by."""
    parser = build_parser(prog or (program_name() if argv is None else SCRIPT))
    args = parser.parse_args(argv)
    setup_logging(args.verbose, args.quiet)
    try:
        result = args.func(args)
    except PipelineError as exc:
        log.error("%s", exc)
        return 2
    except ModuleNotFoundError as exc:
        extra = OPTIONAL_MODULES.get((exc.name or "").partition(".")[0])
        if extra is None:
            raise
        log.error("%s needs %s, from the %r extra: pip install '%s[%s]'", args.command, exc.name, extra,
                  DISTRIBUTION, extra)
        return 2
    except KeyboardInterrupt:
        log.error("interrupted; what was already written is kept")
        return 130
    return int(result or 0)
