"""The in-memory data model of a logdir: runs, tags and the series of every plugin kind."""
