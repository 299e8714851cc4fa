"""Typed parameter model of the CASA-1000 network.

Every element is a frozen keyword-only dataclass with units in its field names.
String IDs (``DATKA``, ``DATKA_SUGHD``) are the public keys; pandapower indices
never appear here.  :class:`GridParams` gathers one variant of the network;
:mod:`casa1000.grid.reference` reads it from the seeds and
:mod:`casa1000.grid.overrides` changes it by dotted key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Variant(StrEnum):
    """Which CASA-1000 design the network represents."""

    AS_BUILT = "as_built"
    """Two-terminal bipole Sangtuda-Nowshera; Afghanistan served over the 220 kV corridor."""
    DESIGN_2014 = "design_2014"
    """Three terminals: Sangtuda 1,300, Kabul 300 and Nowshera 1,300 MW."""


class Technology(StrEnum):
    """Generation technology of a plant."""

    HYDRO_RESERVOIR = "hydro_reservoir"
    HYDRO_ROR = "hydro_ror"
    THERMAL = "thermal"


class ConverterRole(StrEnum):
    """Direction of an HVDC converter in the export schedule."""

    RECTIFIER = "rectifier"
    INVERTER = "inverter"


class ShuntSwitching(StrEnum):
    """How a shunt is switched over the hours of a study."""

    FIXED = "fixed"
    """Always in service at ``q_mvar`` (with its line, if line-connected)."""
    AF_OFFTAKE = "af_offtake"
    """Stepped with the offtake served at its bus (over AC or by a converter):
    ``q_light_mvar`` at none, ``q_mvar`` at the full contract."""


class MonopolarReturn(StrEnum):
    """Return path of the DC current when one pole is out."""

    METALLIC = "metallic"
    EARTH = "earth"


@dataclass(frozen=True, kw_only=True)
class Citation:
    """Where a seed value comes from.

    Parameters
    ----------
    key
        Dotted key of the cited element or value (``"line.DATKA_SUGHD"``,
        ``"hvdc.rating_mw"``).
    source
        Id in ``seeds/sources.csv``.
    confidence
        ``"H"``, ``"M"`` or ``"L"`` as in the fact sheet.
    note
        Why an assumed value was chosen, or a remark on the source.
    origin
        File and row the value was read from.
    """

    key: str
    source: str
    confidence: str
    note: str
    origin: str


@dataclass(frozen=True, kw_only=True)
class Zone:
    """A country or demand zone; ``ref_demand_mw`` is the reference-hour demand [MW]."""

    id: str
    name: str
    ref_demand_mw: float


@dataclass(frozen=True, kw_only=True)
class Bus:
    """A substation or plant node at one voltage level ([kV], coordinates in [deg])."""

    id: str
    name: str
    zone: str
    vn_kv: float
    lat: float
    lon: float
    kind: str
    in_service: bool = True


@dataclass(frozen=True, kw_only=True)
class LineType:
    """Per-km electrical data of one circuit ([ohm/km], [nF/km], [kA])."""

    id: str
    vn_kv: float
    r_ohm_per_km: float
    x_ohm_per_km: float
    c_nf_per_km: float
    max_i_ka: float


@dataclass(frozen=True, kw_only=True)
class Line:
    """An AC overhead line of one or more identical circuits ([km])."""

    id: str
    from_bus: str
    to_bus: str
    line_type: str
    length_km: float
    circuits: int = 1
    in_service: bool = True


@dataclass(frozen=True, kw_only=True)
class Trafo:
    """A bank of identical two-winding transformers ([MVA], [%])."""

    id: str
    hv_bus: str
    lv_bus: str
    sn_mva: float
    vk_percent: float
    vkr_percent: float
    units: int = 1
    in_service: bool = True


@dataclass(frozen=True, kw_only=True)
class Plant:
    """A power plant of identical units ([MW]); ``vm_pu`` None means no voltage control."""

    id: str
    name: str
    bus: str
    zone: str
    technology: Technology
    cascade: str = ""
    units: int
    unit_mw: float
    p_max_mw: float
    vm_pu: float | None = None
    in_service: bool = True


@dataclass(frozen=True, kw_only=True)
class Load:
    """A demand point: a ``share`` of its zone's demand, or a fixed ``p_ref_mw`` [MW].

    A load of category ``"import"`` (:data:`IMPORT_CATEGORY`) is where the
    imports of its supplier ``zone`` enter, at a bus of the external equivalent:
    it injects what the dispatch imports for that zone (a negative load), so
    that, say, Kyrgyz winter imports come in from the Kazakh side instead of all
    from the equivalent's single source.
    """

    id: str
    bus: str
    zone: str
    category: str
    share: float | None = None
    p_ref_mw: float | None = None
    power_factor: float
    in_service: bool = True


IMPORT_CATEGORY = "import"
"""Load category of an import point (see :class:`Load`)."""


@dataclass(frozen=True, kw_only=True)
class Shunt:
    """A shunt reactor (``q_mvar`` > 0) or capacitor (< 0) [Mvar at 1 pu].

    ``line`` names the line a line-connected reactor switches with.  A shunt
    switched with the Afghan offtake is an admittance (its reactive power goes
    with the square of the voltage) stepped with the offtake from
    ``q_light_mvar`` at none towards ``q_mvar`` at the full contract, in whole
    banks of ``bank_mvar`` (one step between the two settings if empty).
    """

    id: str
    bus: str
    q_mvar: float
    q_light_mvar: float | None = None
    bank_mvar: float | None = None
    switching: ShuntSwitching = ShuntSwitching.FIXED
    line: str | None = None
    in_service: bool = True


@dataclass(frozen=True, kw_only=True)
class External:
    """An external equivalent that holds voltage and balances its synchronous area.

    The equivalent is an ideal source (the slack of its area) at ``bus``; what
    makes it finite is the impedance of its ties (see :class:`Tie`).

    Parameters
    ----------
    id, bus, zone
        String ID, the bus of its internal source and its zone.
    area
        Name of the synchronous area it balances (``"CAPS"``, ``"PK"``).
    vm_pu
        Voltage set-point of the internal source [pu].
    max_import_mw
        Power the suppliers of its area may import through it [MW].
    q_min_mvar, q_max_mvar
        Reactive capability of the equivalent (absorbing < 0 < producing) [Mvar];
        recorded on the slack and checked in the results, not enforced by the
        load flow (a slack has no Q limit).
    """

    id: str
    bus: str
    zone: str
    area: str
    vm_pu: float
    max_import_mw: float
    q_min_mvar: float = -1e6
    q_max_mvar: float = 1e6


@dataclass(frozen=True, kw_only=True)
class Tie:
    """A tie to an external equivalent: the neighbour's Thevenin impedance as a series branch.

    The neighbour's network behind the tie (its lines, transformers and plants)
    is reduced to the impedance that gives ``sc_mva`` at ``bus`` under IEC 60909
    (voltage factor ``c_max`` = 1.1):  ``|Z| = c Un**2 / sc_mva`` for all
    circuits together, split by ``x_r_ratio``.  It carries no charging: the real
    tie line's charging is compensated by its own reactors, and the network
    behind it is not a line.  See :mod:`casa1000.grid.equivalents`.

    Parameters
    ----------
    id
        String ID (the circuits of a multi-circuit tie are ``id/1 ... id/n``).
    bus
        The boundary bus of the modelled network.
    to_bus
        The bus of the external source (an :class:`External`).
    sc_mva
        Short-circuit power the neighbour supplies at ``bus`` through the tie [MVA].
    x_r_ratio
        Reactance over resistance of the Thevenin impedance [-].
    circuits
        Parallel circuits; each carries ``circuits`` times the impedance.
    max_i_ka
        Thermal rating of one circuit of the real tie line [kA].
    """

    id: str
    bus: str
    to_bus: str
    sc_mva: float
    x_r_ratio: float
    circuits: int = 1
    max_i_ka: float
    in_service: bool = True


@dataclass(frozen=True, kw_only=True)
class HvdcTerminal:
    """One converter station ([MW], [Mvar])."""

    id: str
    bus: str
    role: ConverterRole
    rating_mw: float
    filter_banks: int
    filter_bank_mvar: float
    offtaker: str = ""
    """Zone of the offtaker an inverter delivers to (``"PK"``); empty for the rectifier."""


@dataclass(frozen=True, kw_only=True)
class DcSegment:
    """A stretch of the DC line between two terminals [km]."""

    id: str
    from_terminal: str
    to_terminal: str
    length_km: float


@dataclass(frozen=True, kw_only=True)
class Hvdc:
    """The LCC bipole: ratings [MW], DC line [kV], [ohm/km], converter loss and reactive data.

    ``rating_mw`` is the bipole rating at the rectifier AC bus; with one pole out
    the link carries half of it.
    """

    pole_voltage_kv: float
    poles: int
    rating_mw: float
    dc_r_ohm_per_km: float
    monopolar_return: MonopolarReturn
    converter_no_load_loss_fraction: float
    converter_load_loss_fraction: float
    firing_angle_deg: float
    extinction_angle_deg: float
    commutation_drop_pu: float
    min_power_fraction: float
    terminals: tuple[HvdcTerminal, ...]
    segments: tuple[DcSegment, ...]

    @property
    def rectifier(self) -> HvdcTerminal:
        """The sending converter."""
        return next(t for t in self.terminals if t.role is ConverterRole.RECTIFIER)

    @property
    def inverters(self) -> tuple[HvdcTerminal, ...]:
        """The receiving converters, in the order of the DC line from the rectifier."""
        order = [self.rectifier.id]
        while True:
            nxt = [s.to_terminal for s in self.segments if s.from_terminal == order[-1]]
            if not nxt:
                break
            order.append(nxt[0])
        by_id = {t.id: t for t in self.terminals}
        return tuple(by_id[i] for i in order[1:] if i in by_id)


@dataclass(frozen=True, kw_only=True)
class Contract:
    """The CASA-1000 commercial schedule ([MW]; season as ``MM-DD`` strings)."""

    season_start: str
    season_end: str
    pakistan_mw: float
    afghanistan_mw: float
    tajikistan_share: float
    kyrgyzstan_share: float

    @property
    def supplier_share(self) -> dict[str, float]:
        """Supplier zone -> its share of the contracted export [-]."""
        return {zone: float(getattr(self, name)) for zone, name in SUPPLIER_SHARE_FIELD.items()}

    @property
    def offtaker_mw(self) -> dict[str, float]:
        """Offtaker zone -> its contracted power [MW]."""
        return {zone: float(getattr(self, name)) for zone, name in OFFTAKER_MW_FIELD.items()}


SUPPLIER_SHARE_FIELD: dict[str, str] = {"KG": "kyrgyzstan_share", "TJ": "tajikistan_share"}
"""Supplier zone -> the :class:`Contract` field of its share.

Zone codes are the vocabulary shared with the profiles (``supplier`` and
``offtaker`` coordinates); this table is the one place that pairs them with the
contract's named fields.
"""
OFFTAKER_MW_FIELD: dict[str, str] = {"PK": "pakistan_mw", "AF": "afghanistan_mw"}
"""Offtaker zone -> the :class:`Contract` field of its contracted power."""


@dataclass(frozen=True, kw_only=True)
class Roles:
    """Which elements play which part in the CASA-1000 trade (read from ``seeds/roles.toml``).

    Study and grid code ask these instead of naming element IDs, so a variant
    whose elements are named differently works unchanged.

    Parameters
    ----------
    supplier_ties
        Lines that join the supplier zones directly (Datka-Sughd): the path of
        the Kyrgyz share of the export.
    supplier_external
        The external equivalent of the suppliers' synchronous area (the rest of
        CAPS); deficits of the supplier zones are imported through it.
    """

    supplier_ties: tuple[str, ...]
    supplier_external: str

    @property
    def suppliers(self) -> tuple[str, ...]:
        """Zones that export (Kyrgyzstan, Tajikistan)."""
        return tuple(SUPPLIER_SHARE_FIELD)

    @property
    def offtakers(self) -> tuple[str, ...]:
        """Zones that import over CASA-1000 (Pakistan, Afghanistan)."""
        return tuple(OFFTAKER_MW_FIELD)


@dataclass(frozen=True, kw_only=True)
class GridParams:
    """One variant of the CASA-1000 network and the systems around it."""

    variant: Variant
    zones: tuple[Zone, ...]
    buses: tuple[Bus, ...]
    line_types: tuple[LineType, ...]
    lines: tuple[Line, ...]
    trafos: tuple[Trafo, ...]
    plants: tuple[Plant, ...]
    loads: tuple[Load, ...]
    shunts: tuple[Shunt, ...]
    externals: tuple[External, ...]
    ties: tuple[Tie, ...]
    hvdc: Hvdc
    contract: Contract
    roles: Roles
    citations: tuple[Citation, ...] = field(default=(), compare=False)
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """(dotted key, where it was last set) pairs, used to name the culprit of an error."""

    def origin_of(self, key: str) -> str:
        """Where the element or value ``key`` was last set (file and row, ``--set`` ...)."""
        best = "parameters"
        best_len = -1
        for k, where in self.origins:
            if (key == k or key.startswith(k + ".")) and len(k) > best_len:
                best, best_len = where, len(k)
        return best

    def bus(self, bus_id: str) -> Bus:
        """Return the bus with string ID ``bus_id``."""
        return next(b for b in self.buses if b.id == bus_id)

    def external(self, external_id: str) -> External:
        """Return the external equivalent with string ID ``external_id``."""
        return next(e for e in self.externals if e.id == external_id)

    @property
    def supplier_external(self) -> External | None:
        """The equivalent of the suppliers' area (``roles.supplier_external``), if present."""
        return next((e for e in self.externals if e.id == self.roles.supplier_external), None)

    def offtaker_terminal(self, offtaker: str) -> HvdcTerminal | None:
        """Return the inverter delivering to zone ``offtaker`` (None: it is served over AC)."""
        return next((t for t in self.hvdc.inverters if t.offtaker == offtaker), None)

    @property
    def ac_offtakers(self) -> tuple[str, ...]:
        """Offtakers with no inverter of their own: their share is a load fed over AC."""
        return tuple(o for o in self.roles.offtakers if self.offtaker_terminal(o) is None)


COLLECTIONS: dict[str, str] = {
    "zone": "zones",
    "bus": "buses",
    "line_type": "line_types",
    "line": "lines",
    "trafo": "trafos",
    "plant": "plants",
    "load": "loads",
    "shunt": "shunts",
    "external": "externals",
    "tie": "ties",
}
"""Dotted-key prefix -> GridParams field of each element collection."""

HVDC_COLLECTIONS: dict[str, str] = {"terminal": "terminals", "segment": "segments"}
"""Dotted-key prefix -> Hvdc field of its element collections."""
