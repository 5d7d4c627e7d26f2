"""flowscope: readable model graphs and fast TensorBoard logs, without TensorFlow."""

from flowscope.data.logdir import Logdir
from flowscope.io.writer import SummaryWriter

__version__ = "0.1.0"
__all__ = ["Logdir", "SummaryWriter", "__version__"]
