"""Event I/O: TFRecord framing, event files, logdir listing and the summary writer."""
