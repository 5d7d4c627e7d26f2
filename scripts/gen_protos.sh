#!/usr/bin/env bash
# Regenerates the committed *_pb2.py modules from src/flowscope/proto/*.proto.
set -euo pipefail
cd "$(dirname "$0")/../src"
python -m grpc_tools.protoc -I. --python_out=. --pyi_out=. flowscope/proto/*.proto
