"""The overlap view's data: every state's status in every organisation and year, in one compact
document the browser loads once (``/api/v1/overlap``, on the first use of ``view=overlap``), and
the order of its rows.

Statuses, their labels and colours are the membership layers' legend classes
(``indicators.json``, the same as the map's legend); the status of a state, organisation and year
is the one published in ``AtlasData.status`` (the ``/memberships?year=`` rows).

Row order (a seriation, computed once): each state is described by its membership vector over
all organisations and years, one entry per (organisation, year) holding the status id. The
distance of two states is the share of (organisation, year) pairs where their statuses differ
(a normalised Hamming distance). The states are clustered by average linkage (UPGMA; ties: the
pair with the lowest indices merges first), and the leaves of the tree are ordered by the
Gruvaeus–Wainer rule: when two clusters merge, each may be flipped so that the two states that
end up side by side are the closest of the four possible pairs of ends (ties: no flip). States
that joined, froze and left the same clubs in the same years therefore sit together; the result
depends only on the data (no randomness).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dashboard.core.config import FIRST_YEAR, ISO3, LAST_YEAR
from dashboard.core.data import AtlasData

ROW_ORDER_METHOD = (
    "Rows: average-linkage clustering of the states' membership vectors (one status per "
    "organisation and year, 1991 to the last year), distance = share of organisation-years with a "
    "different status; leaves ordered so that neighbouring states are the closest ends "
    "(Gruvaeus–Wainer). Computed once from the published data.")

FULL_MEMBERS_RULE = (
    "Full members (the row under the grid and the small charts): states whose status is full membership of "
    "the organisation, or of its stage in force that year (statuses flagged full_member in the status "
    "metadata). Associate members, observers, partners, candidates, frozen or suspended participation and the "
    "CIS's founding states before or without its Charter are not counted: the CIS counts its Charter member "
    "states (from 1994).")


def full_statuses(data: AtlasData, org: str) -> set[str]:
    """The status ids of an organisation that count as full membership (the status metadata's
    ``full_member`` flag, ``data/sources/curated/memberships/<org>.yaml``; the one definition)."""
    return {c["id"] for c in data.indicators[org]["classes"] if c.get("full_member")}


def full_member_counts(data: AtlasData, org: str) -> dict[int, int]:
    """{year: number of the 15 states that are full members of ``org``} (what the view draws)."""
    full = full_statuses(data, org)
    sub = data.status[data.status["org"] == org]
    counts = {y: 0 for y in range(FIRST_YEAR, LAST_YEAR + 1)}
    for year, st in zip(sub["year"], sub["status"], strict=True):
        if st in full:
            counts[int(year)] += 1
    return counts


def distances(vectors: np.ndarray) -> np.ndarray:
    """Normalised Hamming distances between the rows of an integer matrix (states × features)."""
    n = vectors.shape[0]
    if vectors.shape[1] == 0:
        return np.zeros((n, n))
    return (vectors[:, None, :] != vectors[None, :, :]).mean(axis=2)


def seriate(dist: np.ndarray) -> list[int]:
    """A deterministic order of the items of a distance matrix: average-linkage agglomerative
    clustering whose leaves are oriented, at each merge, so that the adjacent ends are closest."""
    n = dist.shape[0]
    if n == 0:
        return []
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(clusters) > 1:
        keys = sorted(clusters)
        best: tuple[float, int, int] | None = None
        for ai, a in enumerate(keys):
            for b in keys[ai + 1:]:
                d = float(dist[np.ix_(clusters[a], clusters[b])].mean())
                if best is None or d < best[0] - 1e-12:
                    best = (d, a, b)
        assert best is not None
        _, a, b = best
        left, right = clusters.pop(a), clusters.pop(b)
        # the four ways to join: (left or reversed) + (right or reversed); the closest ends win
        options = [(left, right), (left[::-1], right), (left, right[::-1]), (left[::-1], right[::-1])]
        joined = min(options, key=lambda lr: (dist[lr[0][-1], lr[1][0]], options.index(lr)))
        clusters[a] = joined[0] + joined[1]
    return next(iter(clusters.values()))


def row_order(data: AtlasData, orgs: Sequence[str] | None = None) -> list[str]:
    """The states (ISO3) in the overlap grid's row order."""
    org_ids = list(orgs or data.orgs)
    status = data.status
    features: list[np.ndarray] = []
    for org in org_ids:
        ids = [c["id"] for c in data.indicators[org]["classes"]]
        code = {s: i for i, s in enumerate(ids)}
        sub = status[status["org"] == org]
        grid = np.full((len(ISO3), LAST_YEAR - FIRST_YEAR + 1), -1, dtype=int)
        row = {c: i for i, c in enumerate(ISO3)}
        for iso3, year, st in zip(sub["iso3"], sub["year"], sub["status"], strict=True):
            grid[row[iso3], int(year) - FIRST_YEAR] = code.get(st, -1)
        features.append(grid)
    vectors = np.concatenate(features, axis=1) if features else np.zeros((len(ISO3), 0), dtype=int)
    return [ISO3[i] for i in seriate(distances(vectors))]


def overlap_document(data: AtlasData) -> dict[str, Any]:
    """Everything the overlap view draws, for every year: organisations with their statuses
    (label, colour, member; the map legend's), the states in row order, and per organisation a
    states × years matrix of status indices, with indices into ``texts`` for basis and source."""
    org_ids = list(data.orgs)
    states = row_order(data, org_ids)
    n_years = LAST_YEAR - FIRST_YEAR + 1
    texts: list[str] = []
    text_index: dict[str, int] = {}

    def text(value: Any) -> int:
        s = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
        if s not in text_index:
            text_index[s] = len(texts)
            texts.append(s)
        return text_index[s]

    text("")
    status = data.status
    row = {c: i for i, c in enumerate(states)}
    orgs_out = []
    for org in org_ids:
        layer = data.indicators[org]
        classes = layer["classes"]
        code = {c["id"]: i for i, c in enumerate(classes)}
        codes = [[-1] * n_years for _ in states]
        basis = [[0] * n_years for _ in states]
        source = [[0] * n_years for _ in states]
        sub = status[status["org"] == org]
        for iso3, year, st, b, s in zip(sub["iso3"], sub["year"], sub["status"], sub["basis"], sub["source"],
                                        strict=True):
            r, y = row[iso3], int(year) - FIRST_YEAR
            codes[r][y] = code.get(st, -1)
            basis[r][y] = text(b)
            source[r][y] = text(s)
        info = data.orgs[org]
        orgs_out.append({
            "id": org, "layer": org, "short_name": info.get("short_name") or layer["short_label"],
            "name": info.get("name") or layer["label"], "label": layer["label"],
            "statuses": [{"id": c["id"], "label": c["label"], "color": c["color"], "member": bool(c.get("member")),
                          "full_member": bool(c.get("full_member"))}
                         for c in classes],
            "status": codes, "basis": basis, "source": source,
        })
    return {
        "years": [FIRST_YEAR, LAST_YEAR],
        "data_version": data.data_version,
        "rule": data.rules.get("membership_year", ""),
        "row_order": ROW_ORDER_METHOD,
        "full_members": FULL_MEMBERS_RULE,
        "states": [{"iso3": c, "name": data.names_en[c]} for c in states],
        "orgs": orgs_out,
        "texts": texts,
    }
