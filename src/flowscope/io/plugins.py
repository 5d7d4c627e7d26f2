"""Names that the files written and read agree on: TensorBoard's plugin names, the
hparams plugin's tags, flowscope's model-stats plugin and the projector's config file."""

from __future__ import annotations

SCALARS = "scalars"
HISTOGRAMS = "histograms"
IMAGES = "images"
AUDIO = "audio"
TEXT = "text"
PR_CURVES = "pr_curves"
HPARAMS = "hparams"
GRAPH_RUN_METADATA = "graph_run_metadata"  # a profile: step stats of a run
GRAPH_RUN_METADATA_GRAPH = "graph_run_metadata_graph"  # a RunMetadata holding graphs
GRAPH_KERAS_MODEL = "graph_keras_model"  # a Keras model config
GRAPH_PLUGINS = (GRAPH_RUN_METADATA, GRAPH_RUN_METADATA_GRAPH, GRAPH_KERAS_MODEL)
MODEL_STATS = "model_stats"  # prefix of add_model_stats' tags and plugin of its layer list

EXPERIMENT_TAG = "_hparams_/experiment"
SESSION_START_TAG = "_hparams_/session_start_info"
SESSION_END_TAG = "_hparams_/session_end_info"

PROJECTOR = "projector"  # embeddings: data outside event files
PROJECTOR_CONFIG = "projector_config.pbtxt"  # in a logdir or run directory
