"""Reference data of CASA-1000 and the systems around it, with a source for every value.

Data only: CSV and TOML files read by :mod:`casa1000.grid.reference` and
:mod:`casa1000.profiles`.  ``sources.csv`` is the bibliography every ``source``
column resolves in; rows citing ``casa1000_assumption`` say in their note why
the value was chosen.
"""

__all__: list[str] = []
