"""Course completions (`record_completion`, the one service every credit source calls) and the
historical completions import with its pages, job and command."""
