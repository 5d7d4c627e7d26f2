"""flowscope: readable model graphs and fast TensorBoard logs, without TensorFlow."""

from flowscope.data.logdir import Logdir

__version__ = "0.1.0"
__all__ = ["Logdir", "__version__"]
