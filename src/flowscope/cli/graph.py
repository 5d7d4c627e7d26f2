"""``flowscope graph SOURCE -o OUT.{svg,dot,json}``: a laid-out graph view, exported."""

from __future__ import annotations

import argparse

from flowscope.cli.serve import ServeError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="a .pb/.pbtxt GraphDef file, a model file (.onnx, "
                        ".pt2, .keras, .tflite), an event file or a logdir")
    parser.add_argument("-o", "--output", required=True, help="OUT.svg, OUT.dot or OUT.json")
    parser.add_argument("--run", help="the run holding the graph, in a logdir")
    parser.add_argument("--tag", help="the graph's tag (e.g. a RunMetadata tag), in a logdir")
    parser.add_argument("--expand", action="append", default=[], metavar="NAME",
                        help="expand this group (and its ancestors); repeatable")
    parser.add_argument("--expand-all", action="store_true", help="expand every group")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    from flowscope.graph import export  # the graph engine is only imported when used

    try:
        graph = export(args.source, args.output, run=args.run, tag=args.tag,
                       expand=args.expand, expand_all=args.expand_all)
    except OSError as err:
        raise ServeError(f"{err.filename or args.source}: {err.strerror or err}") from err
    except (ValueError, KeyError) as err:
        raise ServeError(str(err.args[0] if err.args else err)) from err
    print(f"wrote {args.output} ({len(graph.model.flat.nodes)} ops)")
