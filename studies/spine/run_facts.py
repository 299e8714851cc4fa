"""Facts about one run that differ from run to run (time, memory), kept apart from results."""

from __future__ import annotations


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far [MB] (Linux ru_maxrss is in kB).

    Returns NaN where the ``resource`` module does not exist (Windows).
    """
    try:
        import resource
    except ImportError:  # not on Windows: report unknown rather than fail a study
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
