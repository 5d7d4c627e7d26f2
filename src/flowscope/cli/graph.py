"""``flowscope graph SOURCE -o OUT.{svg,dot,json}``: a laid-out graph view, exported;
``flowscope graph LOGDIR --list``: the graphs a logdir holds."""

from __future__ import annotations

import argparse

from flowscope.cli.serve import ServeError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="a .pb/.pbtxt GraphDef file, a model file (.onnx, "
                        ".pt2, .keras, .tflite), an event file or a logdir")
    parser.add_argument("-o", "--output", help="OUT.svg, OUT.dot or OUT.json")
    parser.add_argument("--list", action="store_true",
                        help="list the runs and tags of the logdir's graphs, and export nothing")
    parser.add_argument("--run", help="the run holding the graph, in a logdir")
    parser.add_argument("--tag", help="the graph's tag (e.g. a RunMetadata tag), in a logdir")
    parser.add_argument("--expand", action="append", default=[], metavar="NAME",
                        help="expand this group (and its ancestors); repeatable")
    parser.add_argument("--depth", type=int, metavar="N",
                        help="expand every group down to N levels (0: the top level only)")
    parser.add_argument("--expand-all", action="store_true", help="expand every group")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    from flowscope.graph import export  # the graph engine is only imported when used

    if args.list:
        list_graphs(args.source)
        return
    if not args.output:
        parser.error("the following arguments are required: -o/--output (or --list)")
    if args.depth is not None and args.depth < 0:
        parser.error("--depth must be 0 or more")
    try:
        graph = export(args.source, args.output, run=args.run, tag=args.tag,
                       expand=args.expand, expand_all=args.expand_all, depth=args.depth)
    except OSError as err:
        raise ServeError(f"{err.filename or args.source}: {err.strerror or err}") from err
    except (ValueError, KeyError) as err:
        raise ServeError(str(err.args[0] if err.args else err)) from err
    origin = graph.model.flat.origin
    print(f"graph of {origin}" if origin else f"graph of {args.source}")
    shown = len(graph.scene().nodes)
    print(f"wrote {args.output} ({len(graph.model.flat.nodes)} ops, {shown} nodes shown)")


def list_graphs(source: str) -> None:
    """Prints ``run  tag  kind`` for every graph of a logdir (or event file)."""
    from flowscope.graph import list_graph_runs

    try:
        runs = list_graph_runs(source)
    except OSError as err:
        raise ServeError(f"{err.filename or source}: {err.strerror or err}") from err
    if not runs:
        raise ServeError(f"{source}: no graph found")
    rows = [(run, tag, kind) for run, found in runs.items() for tag, kind in found.kinds()]
    widths = [max(len(row[k]) for row in rows) for k in range(2)]
    for run, tag, kind in rows:
        print(f"{run:<{widths[0]}}  {tag:<{widths[1]}}  {kind}")
