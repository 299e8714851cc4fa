"""Energy-security indicators of a result set: the answers the studies exist for.

The registered study is :data:`casa1000.studies.indicators.study.SPEC`; every
indicator is a pure function of result datasets in the modules named for its
theme (delivery, corridor security, adequacy, Monte Carlo, dependence,
economics), with its formula, unit and reference in its docstring.
"""

__all__: list[str] = []
