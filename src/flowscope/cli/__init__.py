"""The ``flowscope`` command."""
