"""``flowscope``: serve a logdir (``flowscope --logdir DIR``) or run a subcommand.

Subcommands register themselves in `SUBCOMMANDS` with a function that adds their
arguments and one that runs them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import flowscope
from flowscope.cli import cache, demo, graph
from flowscope.cli.serve import ServeError, add_server_arguments, run_server


@dataclass(frozen=True)
class Subcommand:
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, argparse.ArgumentParser], None]


SUBCOMMANDS: dict[str, Subcommand] = {
    "demo": Subcommand(
        "write a demo logdir with every kind of summary, then serve it",
        demo.add_arguments,
        demo.run,
    ),
    "graph": Subcommand(
        "lay out a model graph and export it to SVG, DOT or JSON",
        graph.add_arguments,
        graph.run,
    ),
    "cache": Subcommand(
        "list or clear the logdir caches that make restarts fast",
        cache.add_arguments,
        cache.run,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowscope",
        description="Serve TensorBoard logs fast, without TensorFlow: flowscope --logdir DIR",
    )
    parser.add_argument("--version", action="version", version=f"flowscope {flowscope.__version__}")
    add_server_arguments(parser, logdir_required=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=command.help, description=command.help)
        command.add_arguments(sub)
        sub.set_defaults(subcommand=command, subparser=sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command is None:
            if not args.logdir:
                parser.error("--logdir is required (or give a COMMAND, e.g. flowscope demo)")
            run_server(args, parser)
        else:
            args.subcommand.run(args, args.subparser)
    except ServeError as err:
        print(f"flowscope: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
