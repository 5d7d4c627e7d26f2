"""Importers: each turns one model format into the neutral `flowscope.graph.flat.FlatGraph`."""
