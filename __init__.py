"""casa1000: planning studies of the CASA-1000 interconnection.

The package answers how much of the Kyrgyz and Tajik summer surplus the CASA-1000
interconnection can deliver to Pakistan and Afghanistan, hour by hour, what one
outage does to it, and how secure the corridor is.  Layers, from data to users:
``seeds`` (cited reference data) -> ``grid`` (parameter model and pandapower
builder) -> ``profiles`` (hourly inputs) -> ``studies`` -> ``dashboards``;
``cli`` drives them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("casa1000")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
