"""Protocol buffer schemas, wire-compatible with TensorFlow's and TensorBoard's.

The ``*_pb2`` modules are generated from the ``.proto`` files here by
``scripts/gen_protos.sh``.
"""
