"""The read-only HTTP API under ``/api/v1``: indicators, observations, memberships, events,
sources and boundary layers, as JSON or CSV, described by a hand-written OpenAPI 3.1 document.

Everything a response can contain is prepared once, when the blueprint is created: every row of
every table is serialised to a JSON text and a CSV line, and a request only selects rows (numpy
masks over small key arrays) and joins the prepared texts. Finished bodies are kept in a small
per-process cache keyed on the normalised parameters (bounded in bytes), so a repeated request
costs a dictionary lookup; so are their compressed forms (br/gzip, made on first demand). The
data are static, so successful responses carry ``Cache-Control: public`` and a content hash as
ETag (If-None-Match → 304).

Every table is a filter of the published data: ``/observations`` serves the one table of values
(``AtlasData.values``; membership layers included, so ``?indicator=cis`` gives the status of every
state and year), ``/memberships?year=`` its membership rows. In JSON a missing value is ``null``,
never ``""``; each observation carries its notes as a list.

Every error under the prefix is JSON ``{"error": code, "detail": message}``: bad parameters 400,
unknown paths 404, wrong methods 405, anything unexpected 500 without a traceback. Routing errors
never reach a blueprint's error handlers, hence a catch-all GET route (else Dash's own catch-all
would answer an HTML page) and a before-request hook that acts on paths under the prefix only.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import brotli
import numpy as np
import pandas as pd
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.http import parse_etags

from dashboard.core.config import FIRST_YEAR, GEODATA_DIR, ISO3, LAST_YEAR
from dashboard.core.data import NOTE_JOIN, AtlasData
from dashboard.core.flows import FLOW_COLUMNS, POPULATION_TYPES, flows_of
from dashboard.core.overlap import overlap_document

API_PREFIX = "/api/v1"
# Long enough for every indicator id at once (about 410 characters), short enough to refuse junk.
MAX_PARAM_LENGTH = 1000  # (every indicator id at once must fit)
CACHE_CONTROL = "public, max-age=3600"
# Finished bodies kept per worker process (bodies above an eighth of this are never kept).
RESPONSE_CACHE_BYTES = 64 * 2**20
# Bodies from this size on are sent compressed (br or gzip) to clients that accept it; each
# body is compressed once and the result kept with it (Flask-Compress would redo it per request
# and skips CSV and GeoJSON).
COMPRESS_MIN_BYTES = 1024
JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"
GEOJSON_TYPE = "application/geo+json"
FORMATS = ("json", "csv")
GEO_LAYERS = ("successor_states", "context", "contested")
ERROR_CODES = ("bad_parameter", "missing_parameter", "unknown_parameter", "parameter_too_long",
               "bad_request", "not_found", "method_not_allowed", "internal_error")

INDICATOR_FIELDS = ("id", "group", "label", "short_label", "unit", "kind", "membership", "map",
                    "projection", "classes", "breaks", "per_1000", "per_1000_of", "source_ids",
                    "source_short", "licence", "description", "caveats", "years", "n_obs")
OBSERVATION_COLUMNS = ("iso3", "country", "year", "indicator", "value", "category", "class", "label", "unit",
                       "source_id", "source", "licence", "note")
SPELL_COLUMNS = ("iso3", "country", "org", "status", "status_label", "member", "start_date",
                 "end_date", "basis", "source", "source_url", "note")
FLOW_PARAMS = ("origin", "asylum", "year", "indicator", "format")
STATUS_COLUMNS = ("iso3", "country", "org", "year", "status", "status_label", "member", "basis",
                  "source")

_YEAR_RE = re.compile(r"[0-9]{4}")


class ApiError(Exception):
    """An error answered as JSON ``{"error": code, "detail": message}``."""

    def __init__(self, status: int, error: str, detail: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = dict(headers or {})


# --------------------------------------------------------------------------- serialisation

def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _native(value: Any) -> Any:
    """A plain Python value for JSON and CSV: numpy scalars unboxed; NaN, NA and the empty string
    → None (null in JSON, an empty cell in CSV)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value == "" or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def _csv_line(values: Iterable[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return buf.getvalue()


@dataclass(frozen=True)
class _Raw:
    """JSON text inserted as is into an envelope."""

    text: str


def _envelope(fields: Sequence[tuple[str, Any]]) -> str:
    parts = (f"{_dumps(k)}:{v.text if isinstance(v, _Raw) else _dumps(v)}" for k, v in fields)
    return "{" + ",".join(parts) + "}"


class _Table:
    """A table ready to serve: each row serialised once as a JSON object and as a CSV line,
    plus the columns requests filter on as numpy arrays."""

    def __init__(self, frame: pd.DataFrame, keys: Iterable[str] = (), json_only: Sequence[str] = ()) -> None:
        self.columns: tuple[str, ...] = tuple(str(c) for c in frame.columns)
        records = [[_native(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        self.json_rows = np.array([_dumps(dict(zip(self.columns, r, strict=True))) for r in records] or [],
                                  dtype=object)
        csv_idx = [i for i, c in enumerate(self.columns) if c not in json_only]
        self.csv_lines = np.array([_csv_line([r[i] for i in csv_idx]) for r in records] or [], dtype=object)
        self.header = _csv_line([self.columns[i] for i in csv_idx])
        self.keys: dict[str, np.ndarray] = {k: np.asarray(frame[k].tolist()) for k in keys}

    def __len__(self) -> int:
        return len(self.json_rows)

    def everything(self) -> np.ndarray:
        return np.ones(len(self), dtype=bool)

    def isin(self, key: str, values: Sequence[Any]) -> np.ndarray:
        return np.isin(self.keys[key], np.asarray(list(values)))

    def between(self, key: str, lo: int, hi: int) -> np.ndarray:
        col = self.keys[key]
        return (col >= lo) & (col <= hi)

    def json_array(self, idx: np.ndarray | slice) -> _Raw:
        return _Raw("[" + ",".join(self.json_rows[idx]) + "]")

    def csv_text(self, idx: np.ndarray | slice) -> str:
        return self.header + "".join(self.csv_lines[idx])


# --------------------------------------------------------------------------- requests and responses

def _quote(value: str, limit: int = 40) -> str:
    """A user-supplied value echoed in a message, shortened."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _args(allowed: Sequence[str]) -> dict[str, str]:
    """The query parameters, checked: known names only, each once, not empty, not too long."""
    unknown = [name for name in request.args if name not in allowed]
    if unknown:
        accepted = ", ".join(allowed) if allowed else "no parameters"
        raise ApiError(400, "unknown_parameter",
                       f"unknown parameter {_quote(unknown[0])}; this endpoint accepts {accepted}")
    out: dict[str, str] = {}
    for name in request.args:
        values = request.args.getlist(name)
        if len(values) > 1:
            raise ApiError(400, "bad_parameter",
                           f"parameter {name!r} is given {len(values)} times; give it once "
                           "(lists are comma-separated)")
        value = values[0]
        if len(value) > MAX_PARAM_LENGTH:
            raise ApiError(400, "parameter_too_long",
                           f"parameter {name!r} is {len(value)} characters long; "
                           f"the limit is {MAX_PARAM_LENGTH}")
        value = value.strip()
        if not value:
            raise ApiError(400, "bad_parameter", f"parameter {name!r} is empty; leave it out or give a value")
        out[name] = value
    return out


def _choices(name: str, raw: str, allowed: Sequence[str], *, upper: bool = False,
             canonical: bool = False) -> tuple[str, ...]:
    """A comma-separated list of values out of ``allowed``, de-duplicated, in the order given
    (``canonical``: in the order of ``allowed``)."""
    items = [p.strip().upper() if upper else p.strip() for p in raw.split(",")]
    for item in items:
        if item not in allowed:
            what = f"unknown value {_quote(item)}" if item else "an empty item"
            raise ApiError(400, "bad_parameter",
                           f"parameter {name!r} has {what}; allowed values (comma-separated): "
                           f"{', '.join(allowed)}")
    if canonical:
        return tuple(a for a in allowed if a in items)
    return tuple(dict.fromkeys(items))


def _year(name: str, raw: str) -> int:
    if not _YEAR_RE.fullmatch(raw) or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise ApiError(400, "bad_parameter",
                       f"parameter {name!r} must be a year from {FIRST_YEAR} to {LAST_YEAR}, got {_quote(raw)}")
    return int(raw)


def _year_range(args: Mapping[str, str]) -> tuple[int, int]:
    lo = _year("from", args["from"]) if "from" in args else FIRST_YEAR
    hi = _year("to", args["to"]) if "to" in args else LAST_YEAR
    if lo > hi:
        raise ApiError(400, "bad_parameter", f"parameter 'from' ({lo}) is after parameter 'to' ({hi})")
    return lo, hi


def _format(args: Mapping[str, str]) -> str:
    fmt = args.get("format", "json").lower()
    if fmt not in FORMATS:
        raise ApiError(400, "bad_parameter",
                       f"parameter 'format' must be one of {', '.join(FORMATS)}, got {_quote(args['format'])}")
    return fmt


def _etag(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


@dataclass(frozen=True)
class _Body:
    """A finished response body with its content type, download name and ETag."""

    data: bytes
    content_type: str
    filename: str | None
    etag: str
    encoded: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, body: str | bytes, content_type: str, filename: str | None = None) -> _Body:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return cls(data, content_type, filename, _etag(data))

    def compressed(self, algorithm: str) -> bytes:
        """The body compressed with 'br' or 'gzip', computed on first use (two threads may both
        compute it; they store the same bytes)."""
        hit = self.encoded.get(algorithm)
        if hit is None:
            if algorithm == "br":
                hit = brotli.compress(self.data, quality=5)
            else:
                hit = gzip.compress(self.data, compresslevel=6, mtime=0)
            self.encoded[algorithm] = hit
        return hit


def _table_body(fmt: str, envelope: Callable[[], Sequence[tuple[str, Any]]], csv_text: Callable[[], str],
                filename: str) -> _Body:
    """The body of a table endpoint in the format asked for (only that one is built)."""
    if fmt == "csv":
        return _Body.of(csv_text(), CSV_TYPE, f"{filename}.csv")
    return _Body.of(_envelope(envelope()), JSON_TYPE)


class _ResponseCache:
    """Finished bodies by normalised request: least recently used out first, bounded in bytes
    (the parameter space is large, the data static). Safe under threaded servers."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, _Body] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], _Body]) -> _Body:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                return body
        body = make()
        if len(body.data) <= self.max_bytes // 8:
            with self._lock:
                if key not in self._items:
                    self._items[key] = body
                    self._size += len(body.data)
                    while self._size > self.max_bytes:
                        _, old = self._items.popitem(last=False)
                        self._size -= len(old.data)
        return body


def _matching_etag(etag: str) -> str | None:
    """The tag of If-None-Match that names this ETag (also with Flask-Compress's ':gzip'-style
    suffix, as a client that got a compressed body sends it back), or None."""
    header = request.headers.get("If-None-Match")
    if not header:
        return None
    tags = parse_etags(header)
    if tags.star_tag:
        return etag
    return next((t for t in tags.as_set(include_weak=True) if t.split(":", 1)[0] == etag), None)


def _encoding(body: _Body) -> str | None:
    """The compression to send this body with: br, else gzip, if the client accepts one."""
    if len(body.data) < COMPRESS_MIN_BYTES:
        return None
    accepted = request.accept_encodings
    return next((a for a in ("br", "gzip") if accepted[a] > 0), None)


def _send(body: _Body) -> Response:
    headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    matched = _matching_etag(body.etag)
    if matched is not None:
        resp = Response(status=304, headers=headers)
        resp.set_etag(matched)
        return resp
    algorithm = _encoding(body)
    data = body.data if algorithm is None else body.compressed(algorithm)
    resp = Response(data, content_type=body.content_type, headers=headers)
    if body.filename:
        resp.headers["Content-Disposition"] = f'attachment; filename="{body.filename}"'
    if algorithm is None:
        resp.set_etag(body.etag)
    else:
        # The same suffix convention as Flask-Compress: one validator per representation.
        resp.headers["Content-Encoding"] = algorithm
        resp.set_etag(f"{body.etag}:{algorithm}")
    return resp


def _error(exc: ApiError) -> Response:
    resp = Response(_dumps({"error": exc.error, "detail": exc.detail}), status=exc.status,
                    content_type=JSON_TYPE, headers=exc.headers)
    resp.headers["Cache-Control"] = "no-store"
    return resp


# --------------------------------------------------------------------------- the prepared data

class _Prepared:
    """Everything the endpoints serve, computed once from the ``AtlasData``."""

    def __init__(self, data: AtlasData) -> None:
        self.data = data
        self.orgs = tuple(data.orgs)
        self.indicator_ids = tuple(data.indicators)   # every layer, membership layers included
        src = data.sources
        self.source_refs = {
            row.source_id: {"source_id": row.source_id, "citation": row.citation,
                            "licence": row.license_short, "url": row.url or None}
            for row in src.itertuples(index=False)
        }
        self.indicators_doc = self._indicators()
        self.indicators_csv = _Table(self._indicators_flat()).csv_text(slice(None))
        self.sources = _Table(src)
        self.observations = self._observations()
        self.spells, self.status = self._memberships()
        self.events = _Table(data.events, keys=("year",))
        self.event_countries = [frozenset(c.split(";")) if c else frozenset() for c in data.events["countries"]]
        self.event_from_book = data.events["from_book"].to_numpy(dtype=bool)
        self.geo = {name: (GEODATA_DIR / f"{name}.geojson").read_bytes() for name in GEO_LAYERS}
        self._flows: tuple[_Table, tuple[str, ...]] | None = None
        self._flows_lock = threading.Lock()

    def flows(self) -> tuple[_Table, tuple[str, ...]]:
        """(the flows table ready to serve, every code in it), prepared on the first request only:
        the table is read from the published set on first use."""
        with self._flows_lock:
            if self._flows is None:
                frame = flows_of(self.data)[list(FLOW_COLUMNS)]
                codes = tuple(sorted(set(frame["origin_iso3"]) | set(frame["asylum_iso3"])))
                self._flows = (_Table(frame, keys=("origin_iso3", "asylum_iso3", "year", "population_type")),
                               codes)
            return self._flows

    def _indicators(self) -> list[dict[str, Any]]:
        out = []
        for ind in self.data.indicators.values():
            entry = {k: ind.get(k) for k in INDICATOR_FIELDS}
            entry["membership"] = self.data.is_membership(ind["id"])
            out.append(entry)
        return out

    def _indicators_flat(self) -> pd.DataFrame:
        """The catalogue as one flat row per layer, for CSV: lists `;`-joined."""
        rows = []
        for ind in self.indicators_doc:
            years = ind["years"] or [None, None]
            classes = ind["classes"] or []
            rows.append({
                "id": ind["id"], "group": ind["group"], "label": ind["label"],
                "short_label": ind["short_label"], "unit": ind["unit"], "kind": ind["kind"],
                "membership": ind["membership"], "map": ind["map"], "projection": ind["projection"],
                "classes": ";".join(str(c["id"]) for c in classes),
                "class_labels": ";".join(str(c["label"]) for c in classes),
                "breaks": ";".join(str(b) for b in ind["breaks"] or []),
                "per_1000": ind["per_1000"] or "", "per_1000_of": ind["per_1000_of"] or "",
                "source_ids": ";".join(ind["source_ids"] or []), "source_short": ind["source_short"] or "",
                "licence": ind["licence"] or "", "first_year": years[0], "last_year": years[1],
                "n_obs": ind["n_obs"], "description": ind["description"] or "",
                "caveats": " | ".join(ind.get("caveats") or []),
            })
        frame = pd.DataFrame(rows)
        for col in ("first_year", "last_year", "n_obs"):
            frame[col] = frame[col].astype("Int64")
        return frame

    def _observations(self) -> _Table:
        """The one table of values, as published, with the state's name; notes as a list in JSON
        and '; '-joined in 'note' (the only notes column of the CSV)."""
        data = self.data
        v = data.values
        frame = pd.DataFrame({
            "iso3": v["iso3"], "country": v["iso3"].map(data.names_en), "year": v["year"],
            "indicator": v["indicator"], "value": v["value"], "category": v["category"], "class": v["class"],
            "label": v["label"], "unit": v["unit"], "source_id": v["source_id"], "source": v["source"],
            "licence": v["licence"], "note": [NOTE_JOIN.join(n) for n in v["notes"]],
            "notes": [list(n) for n in v["notes"]],
        }, columns=[*OBSERVATION_COLUMNS, "notes"])
        return _Table(frame, keys=("indicator", "iso3", "year", "source_id"), json_only=("notes",))

    def _memberships(self) -> tuple[_Table, _Table]:
        data = self.data
        classes = {(org, c["id"]): c for org in self.orgs for c in data.indicators[org]["classes"]}

        def decorate(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
            frame = frame.copy()
            pairs = list(zip(frame["org"], frame["status"], strict=True))
            frame["country"] = frame["iso3"].map(data.names_en)
            frame["status_label"] = [classes[p]["label"] if p in classes else "" for p in pairs]
            frame["member"] = [bool(classes[p]["member"]) if p in classes else None for p in pairs]
            return frame[[c for c in columns if c in frame.columns]]

        spells = _Table(decorate(data.spells, SPELL_COLUMNS), keys=("org", "iso3"))
        status = _Table(decorate(data.status, STATUS_COLUMNS), keys=("org", "iso3", "year"))
        return spells, status


# --------------------------------------------------------------------------- the blueprint

def create_api_blueprint(data: AtlasData) -> Blueprint:
    """The ``/api/v1`` blueprint, serving ``data`` (prepared here, once)."""
    prep = _Prepared(data)
    cache = _ResponseCache(RESPONSE_CACHE_BYTES)
    doc = openapi_document(data)
    static = {
        "index": _Body.of(_dumps({
            "name": "Atlas of the former Soviet space — data API",
            "version": "v1",
            "openapi": f"{API_PREFIX}/openapi.json",
            "endpoints": [f"{API_PREFIX}{path}" for path in doc["paths"]],
        }), JSON_TYPE),
        "openapi": _Body.of(_dumps(doc), JSON_TYPE),
        "indicators.json": _Body.of(_envelope([("groups", data.groups), ("rules", data.rules),
                                               ("count", len(prep.indicators_doc)),
                                               ("indicators", prep.indicators_doc)]), JSON_TYPE),
        "indicators.csv": _Body.of(prep.indicators_csv, CSV_TYPE, "indicators.csv"),
        "sources.json": _Body.of(_envelope([("count", len(prep.sources)),
                                            ("rows", prep.sources.json_array(slice(None)))]), JSON_TYPE),
        "sources.csv": _Body.of(prep.sources.csv_text(slice(None)), CSV_TYPE, "sources.csv"),
        **{f"geo.{name}": _Body.of(body, GEOJSON_TYPE) for name, body in prep.geo.items()},
        # the overlap view's one document (states × organisations × years), loaded on its first use
        "overlap": _Body.of(_dumps(overlap_document(data)), JSON_TYPE),
    }
    bp = Blueprint("api_v1", __name__, url_prefix=API_PREFIX)

    @bp.get("")
    @bp.get("/")
    def index() -> Response:
        _args(())
        return _send(static["index"])

    @bp.get("/openapi.json")
    def openapi() -> Response:
        _args(())
        return _send(static["openapi"])

    @bp.get("/indicators")
    def indicators() -> Response:
        return _send(static[f"indicators.{_format(_args(('format',)))}"])

    @bp.get("/sources")
    def sources() -> Response:
        return _send(static[f"sources.{_format(_args(('format',)))}"])

    @bp.get("/observations")
    def observations() -> Response:
        args = _args(("indicator", "iso3", "from", "to", "format"))
        if "indicator" not in args:
            raise ApiError(400, "missing_parameter",
                           "parameter 'indicator' is required: one or more indicator ids, comma-separated "
                           f"({', '.join(prep.indicator_ids)})")
        ids = _choices("indicator", args["indicator"], prep.indicator_ids)
        iso3 = _choices("iso3", args["iso3"], ISO3, upper=True, canonical=True) if "iso3" in args else None
        lo, hi = _year_range(args)
        fmt = _format(args)

        def make() -> _Body:
            table = prep.observations
            mask = table.isin("indicator", ids) & table.between("year", lo, hi)
            if iso3 is not None:
                mask &= table.isin("iso3", iso3)
            idx = np.flatnonzero(mask)

            def envelope() -> list[tuple[str, Any]]:
                source_ids = sorted(set(table.keys["source_id"][idx].tolist()))
                return [("indicator", list(ids)), ("data_version", data.data_version), ("count", len(idx)),
                        ("rows", table.json_array(idx)),
                        ("sources", [prep.source_refs[s] for s in source_ids if s in prep.source_refs])]

            name = "observations_" + ("-".join(ids) if len(ids) <= 3 else f"{len(ids)}_indicators")
            return _table_body(fmt, envelope, lambda: table.csv_text(idx), name + _suffix(iso3, lo, hi))

        return _send(cache.get(("observations", ids, iso3, lo, hi, fmt), make))

    @bp.get("/memberships")
    def memberships() -> Response:
        args = _args(("org", "iso3", "year", "format"))
        orgs = _choices("org", args["org"], prep.orgs, canonical=True) if "org" in args else None
        iso3 = _choices("iso3", args["iso3"], ISO3, upper=True, canonical=True) if "iso3" in args else None
        year = _year("year", args["year"]) if "year" in args else None
        fmt = _format(args)

        def make() -> _Body:
            table = prep.spells if year is None else prep.status
            mask = table.everything()
            if orgs is not None:
                mask &= table.isin("org", orgs)
            if iso3 is not None:
                mask &= table.isin("iso3", iso3)
            if year is not None:
                mask &= table.keys["year"] == year
            idx = np.flatnonzero(mask)

            def envelope() -> list[tuple[str, Any]]:
                return [("org", list(orgs or prep.orgs)), ("year", year), ("count", len(idx)),
                        ("rows", table.json_array(idx)), ("sources", [prep.source_refs["atlas_memberships"]])]

            name = "memberships" + (f"_{'-'.join(orgs)}" if orgs is not None and len(orgs) <= 3 else "")
            name += f"_{year}" if year is not None else ""
            return _table_body(fmt, envelope, lambda: table.csv_text(idx), name + _suffix(iso3))

        return _send(cache.get(("memberships", orgs, iso3, year, fmt), make))

    @bp.get("/overlap")
    def overlap() -> Response:
        _args(())
        return _send(static["overlap"])

    @bp.get("/events")
    def events() -> Response:
        args = _args(("from", "to", "iso3", "format"))
        iso3 = _choices("iso3", args["iso3"], ISO3, upper=True, canonical=True) if "iso3" in args else None
        lo, hi = _year_range(args)
        fmt = _format(args)

        def make() -> _Body:
            table = prep.events
            mask = table.between("year", lo, hi)
            if iso3 is not None:
                wanted = frozenset(iso3)
                mask &= np.fromiter((bool(c & wanted) for c in prep.event_countries), dtype=bool,
                                    count=len(table))
            idx = np.flatnonzero(mask)

            def envelope() -> list[tuple[str, Any]]:
                refs = [prep.source_refs["atlas_events"]]
                if prep.event_from_book[idx].any() and "olcott_aslund_garnett_1999" in prep.source_refs:
                    refs.append(prep.source_refs["olcott_aslund_garnett_1999"])
                return [("count", len(idx)), ("rows", table.json_array(idx)), ("sources", refs)]

            return _table_body(fmt, envelope, lambda: table.csv_text(idx), "events" + _suffix(iso3, lo, hi))

        return _send(cache.get(("events", iso3, lo, hi, fmt), make))

    @bp.get("/flows")
    def flows() -> Response:
        args = _args(FLOW_PARAMS)
        table, codes = prep.flows()

        def code_list(name: str) -> tuple[str, ...] | None:
            if name not in args:
                return None
            items = [p.strip().upper() for p in args[name].split(",")]
            for item in items:
                if item not in codes:
                    what = f"unknown value {_quote(item)}" if item else "an empty item"
                    raise ApiError(400, "bad_parameter",
                                   f"parameter {name!r} has {what}; give ISO 3166-1 alpha-3 codes that occur "
                                   f"in the flows table, comma-separated (the 15 states: {', '.join(ISO3)}; "
                                   "their partners; UNK = unknown, XXA = stateless)")
            return tuple(sorted(set(items)))

        origin, asylum = code_list("origin"), code_list("asylum")
        year = _year("year", args["year"]) if "year" in args else None
        types = (_choices("indicator", args["indicator"], POPULATION_TYPES, canonical=True)
                 if "indicator" in args else POPULATION_TYPES)
        fmt = _format(args)

        def make() -> _Body:
            mask = table.isin("population_type", types)
            if origin is not None:
                mask &= table.isin("origin_iso3", origin)
            if asylum is not None:
                mask &= table.isin("asylum_iso3", asylum)
            if year is not None:
                mask &= table.keys["year"] == year
            idx = np.flatnonzero(mask)
            meta = data.flows_meta

            def envelope() -> list[tuple[str, Any]]:
                return [("origin", list(origin) if origin else None), ("asylum", list(asylum) if asylum else None),
                        ("year", year), ("indicator", list(types)), ("data_version", data.data_version),
                        ("count", len(idx)), ("rows", table.json_array(idx)),
                        ("codes", meta.get("codes") or {}),
                        ("sources", [prep.source_refs[s] for s in meta.get("source_ids", [])
                                     if s in prep.source_refs])]

            name = "flows"
            name += f"_from-{'-'.join(origin)}" if origin and len(origin) <= 3 else ""
            name += f"_to-{'-'.join(asylum)}" if asylum and len(asylum) <= 3 else ""
            name += f"_{year}" if year is not None else ""
            name += f"_{'-'.join(types)}" if types != POPULATION_TYPES else ""
            return _table_body(fmt, envelope, lambda: table.csv_text(idx), name)

        return _send(cache.get(("flows", origin, asylum, year, types, fmt), make))

    @bp.get("/geodata/<layer>.geojson")
    def geodata(layer: str) -> Response:
        if layer not in prep.geo:
            raise ApiError(404, "not_found",
                           f"no boundary layer {_quote(layer)}; layers: {', '.join(GEO_LAYERS)} "
                           f"(as {API_PREFIX}/geodata/<layer>.geojson)")
        _args(())
        return _send(static[f"geo.{layer}"])

    def allowed_methods() -> str | None:
        """The methods of the API endpoint at this path, or None if there is none."""
        adapter = current_app.url_map.bind_to_environ(request.environ)
        try:
            rule, _ = adapter.match(request.path, method="GET", return_rule=True)
        except HTTPException:
            return None
        if not rule.endpoint.startswith(f"{bp.name}.") or rule.endpoint == f"{bp.name}.catch_all":
            return None
        return ", ".join(sorted(rule.methods or ()))

    def not_found() -> ApiError:
        return ApiError(404, "not_found", f"no endpoint at {_quote(request.path, 80)}; the endpoints are "
                                          f"listed in {API_PREFIX}/openapi.json")

    # Without this rule, a GET of an unknown path under the prefix would fall through to Dash's
    # own catch-all and answer the HTML page.
    @bp.route("/<path:anything>", methods=["GET", "OPTIONS"], provide_automatic_options=False)
    def catch_all(anything: str) -> Response:
        raise not_found()

    # Routing errors (a wrong method, a path no rule matches) are raised before any blueprint is
    # chosen, so blueprint error handlers never see them. An app-wide before-request hook (it
    # only adds to the app's hooks and acts on paths under the prefix only) answers them as JSON.
    @bp.before_app_request
    def routing_errors_as_json() -> Response | None:
        exc = request.routing_exception
        if exc is None or not (request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")):
            return None
        if isinstance(exc, MethodNotAllowed):
            allow = allowed_methods()
            if allow is None:
                return _error(not_found())
            return _error(ApiError(405, "method_not_allowed", f"method {request.method} is not allowed on "
                                   f"{request.path}; allowed: {allow}", headers={"Allow": allow}))
        if isinstance(exc, NotFound):
            return _error(not_found())
        return None  # e.g. a redirect to the canonical URL

    @bp.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return _error(exc)

    @bp.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = {400: "bad_parameter", 404: "not_found", 405: "method_not_allowed"}.get(
            status, "internal_error" if status >= 500 else "bad_request")
        headers = {k: v for k, v in exc.get_headers() if k == "Allow"}
        return _error(ApiError(status, code, exc.description or exc.name or "error", headers))

    @bp.errorhandler(Exception)
    def unexpected_error(exc: Exception) -> Response:
        current_app.logger.exception("unhandled error in %s", request.path)
        return _error(ApiError(500, "internal_error", "the server failed to answer this request; please report it"))

    @bp.after_request
    def open_to_all(resp: Response) -> Response:
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp

    return bp


def _suffix(iso3: Sequence[str] | None, lo: int = FIRST_YEAR, hi: int = LAST_YEAR) -> str:
    """The filter part of a download's file name: the states and the years, when narrowed."""
    suffix = ""
    if iso3 is not None:
        suffix += "_" + ("-".join(iso3) if len(iso3) <= 5 else f"{len(iso3)}_states")
    if (lo, hi) != (FIRST_YEAR, LAST_YEAR):
        suffix += f"_{lo}-{hi}"
    return suffix


# --------------------------------------------------------------------------- the OpenAPI document

def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _str(description: str = "", **extra: Any) -> dict[str, Any]:
    """A text field: a string, or null where the table has nothing."""
    return {"type": ["string", "null"], **({"description": description} if description else {}), **extra}


def _obj(props: Mapping[str, Any], *, required: Sequence[str] | None = None, description: str = "",
         additional: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": dict(props),
                              "required": list(props if required is None else required),
                              "additionalProperties": additional}
    if description:
        schema["description"] = description
    return schema


def _table_response(rows_schema: str, extra: Mapping[str, Any], description: str) -> dict[str, Any]:
    props = {**extra, "count": {"type": "integer", "minimum": 0, "description": "number of rows"},
             "rows": {"type": "array", "items": _ref("schemas", rows_schema)}}
    return _obj(props, description=description)


def openapi_document(data: AtlasData) -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API; enums (indicator, organisation, state ids) come
    from ``data``."""
    indicator_ids = list(data.indicators)
    orgs = list(data.orgs)
    year = {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}
    nullable_int = {"type": ["integer", "null"]}
    text = {"type": ["string", "null"], "description": "null where empty"}

    def list_param(name: str, enum: Sequence[str], description: str, example: list[str],
                   required: bool = False) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": required, "description": description,
                "style": "form", "explode": False,
                "schema": {"type": "array", "minItems": 1, "uniqueItems": True,
                           "items": {"type": "string", "enum": list(enum)}},
                "example": example}

    parameters = {
        "format": {"name": "format", "in": "query", "required": False,
                   "description": "Response format: JSON (default) or CSV (UTF-8, sent as an attachment).",
                   "schema": {"type": "string", "enum": list(FORMATS), "default": "json"}, "example": "json"},
        "iso3": list_param("iso3", ISO3, "ISO 3166-1 alpha-3 codes of the states to keep, comma-separated "
                           "(case-insensitive). Default: all 15.", ["GEO", "ARM"]),
        "from": {"name": "from", "in": "query", "required": False,
                 "description": f"First year to keep (default {FIRST_YEAR}); must not be after 'to'.",
                 "schema": year, "example": 2000},
        "to": {"name": "to", "in": "query", "required": False,
               "description": f"Last year to keep (default {LAST_YEAR}).", "schema": year, "example": 2020},
        "indicator": list_param("indicator", indicator_ids,
                                "Layer ids, comma-separated (see /indicators). Membership layers (e.g. 'cis') "
                                "give one status per state and year; their spells are served by /memberships.",
                                ["refugees_hosted"], required=True),
        "org": list_param("org", orgs, "Organisation ids, comma-separated. Default: all.", ["cis"]),
        "year": {"name": "year", "in": "query", "required": False,
                 "description": "If given, the status of that year for each state instead of the spells. "
                                + data.rules.get("membership_year", ""),
                 "schema": year, "example": 2009},
        "origin": {"name": "origin", "in": "query", "required": False,
                   "description": "Countries of origin to keep: ISO 3166-1 alpha-3 codes, comma-separated "
                                  "(case-insensitive), that occur in the flows table; UNHCR's UNK (unknown) "
                                  "and XXA (stateless) included. Default: all.",
                   "style": "form", "explode": False,
                   "schema": {"type": "array", "minItems": 1,
                              "items": {"type": "string", "pattern": "^[A-Za-z]{3}$"}}, "example": ["UKR"]},
        "asylum": {"name": "asylum", "in": "query", "required": False,
                   "description": "Countries of asylum to keep, as 'origin'. Default: all.",
                   "style": "form", "explode": False,
                   "schema": {"type": "array", "minItems": 1,
                              "items": {"type": "string", "pattern": "^[A-Za-z]{3}$"}}, "example": ["POL", "DEU"]},
        "flowYear": {"name": "year", "in": "query", "required": False,
                     "description": "The year to keep (end-year stocks). Default: all years.",
                     "schema": year, "example": 2022},
        "flowIndicator": list_param("indicator", POPULATION_TYPES,
                                    "Population types, comma-separated, as UNHCR publishes them: refugees, "
                                    "asylum_seekers, oip (other people in need of international protection), "
                                    "returned_refugees. Default: all.", ["refugees"]),
        "layer": {"name": "layer", "in": "path", "required": True, "description": "Boundary layer.",
                  "schema": {"type": "string", "enum": list(GEO_LAYERS)}, "example": "successor_states"},
    }

    source_ref = _obj({"source_id": text, "citation": text,
                       "licence": _str("short licence name"), "url": _str("the source's URL, may be empty")})
    indicator_class = _obj({"id": text, "label": text, "color": _str(pattern="^#[0-9A-Fa-f]{6}$"),
                            "member": {"type": "boolean"},
                            "full_member": {"type": "boolean", "description": "a full member of the organisation "
                                            "(not associate, frozen, pre-Charter, …): what the overlap view counts"},
                            "description": text},
                           required=["id", "label", "color"])
    indicator = _obj({
        "id": text, "group": text, "label": text, "short_label": text, "unit": text,
        "kind": {"type": "string", "enum": ["categorical", "continuous", "diverging"]},
        "membership": {"type": "boolean", "description": "a membership layer (served by /memberships)"},
        "map": {"type": "boolean", "description": "offered on the map"},
        "projection": {"type": "boolean", "description": "a projection, never mixed with estimates"},
        "classes": {"type": ["array", "null"], "items": _ref("schemas", "IndicatorClass"),
                    "description": "legend classes in their fixed order"},
        "breaks": {"type": ["array", "null"], "items": {"type": "number"},
                   "description": "class breaks: class i holds breaks[i-1] ≤ v < breaks[i]"},
        "per_1000": {"type": ["string", "null"], "description": "id of the per-1,000 twin"},
        "per_1000_of": {"type": ["string", "null"], "description": "id of the count this rate derives from"},
        "source_ids": {"type": "array", "items": text},
        "source_short": {"type": ["string", "null"]}, "licence": {"type": ["string", "null"]},
        "description": {"type": ["string", "null"]},
        "caveats": {"type": ["array", "null"], "items": {"type": "string"},
                    "description": "what the layer can and cannot tell (rules.yaml)"},
        "years": {"type": ["array", "null"], "items": year, "minItems": 2, "maxItems": 2,
                  "description": "[first, last] year with data; null for membership layers"},
        "n_obs": nullable_int,
    })
    observation = _obj({
        "iso3": {"type": "string", "enum": list(ISO3)}, "country": text, "year": year,
        "indicator": {"type": "string", "enum": indicator_ids},
        "value": {"type": ["number", "null"], "description": "the published number; null for codes"},
        "category": {"type": ["string", "null"],
                     "description": "category id (or membership status) of a categorical layer, else null"},
        "class": _str("legend class: the category id, or the index of the numeric class from the breaks"),
        "label": _str("the legend label of the class"), "unit": _str(),
        "source_id": _str(), "source": _str("short name of the source (memberships: the spell's source)"),
        "licence": _str(),
        "note": {"type": ["string", "null"], "description": "the notes joined by '; ', null if none"},
        "notes": {"type": "array", "items": {"type": "string"},
                  "description": "every note on this value (JSON only): published zero, provisional, "
                                 "projected denominator, series break, change of source; memberships: basis"},
    }, required=["iso3", "country", "year", "indicator", "value", "category", "class", "label", "unit",
                 "source_id", "source", "licence", "note", "notes"])
    spell = _obj({
        "iso3": {"type": "string", "enum": list(ISO3)}, "country": text, "org": {"type": "string", "enum": orgs},
        "status": text, "status_label": text, "member": {"type": ["boolean", "null"]},
        "start_date": _str(format="date"), "end_date": _str("inclusive; empty = still holds"),
        "basis": text, "source": text, "source_url": text, "note": text,
    }, description="A period during which a state held a status")
    status_row = _obj({
        "iso3": {"type": "string", "enum": list(ISO3)}, "country": text, "org": {"type": "string", "enum": orgs},
        "year": year, "status": text, "status_label": text, "member": {"type": ["boolean", "null"]},
        "basis": text, "source": text,
    }, description="The status in force in a year")
    event = _obj({
        "id": text, "date": _str("YYYY, YYYY-MM or YYYY-MM-DD"),
        "date_precision": {"type": "string", "enum": ["day", "month", "year"]}, "year": year,
        "countries": _str("ISO3 codes, ';'-separated; empty = the whole region"),
        "orgs": _str("organisation ids, ';'-separated"), "category": text, "title": text, "text": text,
        "source": text, "source_url": text, "from_book": {"type": "boolean"},
    })
    flow = _obj({
        "year": year, "origin_iso3": _str("ISO3 of the country of origin (UNK unknown, XXA stateless)"),
        "origin_name": text, "asylum_iso3": _str("ISO3 of the country of asylum"), "asylum_name": text,
        "population_type": {"type": "string", "enum": list(POPULATION_TYPES)},
        "value": {"type": ["integer", "null"], "description": "persons, end-year stock (returned_refugees: "
                                                               "during the year); never 0 (zeros are not published)"},
        "source_id": _str(),
    }, required=list(FLOW_COLUMNS), description="One origin→asylum pair in a year")
    n_years = LAST_YEAR - FIRST_YEAR + 1
    per_state_year = {"type": "array", "minItems": len(ISO3), "maxItems": len(ISO3),
                      "items": {"type": "array", "minItems": n_years, "maxItems": n_years,
                                "items": {"type": "integer", "minimum": -1}}}
    overlap_org = _obj({
        "id": {"type": "string", "enum": orgs},
        "layer": {"type": "string", "enum": indicator_ids, "description": "the organisation's map layer"},
        "short_name": text, "name": text, "label": _str("the layer's label"),
        "statuses": {"type": "array", "items": _obj({"id": text, "label": text,
                                                     "color": _str(pattern="^#[0-9A-Fa-f]{6}$"),
                                                     "member": {"type": "boolean"},
                                                     "full_member": {"type": "boolean"}}),
                     "description": "the layer's legend classes, in order (as /indicators)"},
        "status": {**per_state_year, "description": "[state (in 'states' order)][year - first year]: index "
                                                    "into 'statuses' (-1: none)"},
        "basis": {**per_state_year, "description": "as 'status': index into 'texts' (the legal basis)"},
        "source": {**per_state_year, "description": "as 'status': index into 'texts' (the source)"},
    }, description="One organisation: its statuses and every state's status in every year")
    overlap_doc = _obj({
        "years": {"type": "array", "items": year, "minItems": 2, "maxItems": 2, "description": "[first, last]"},
        "data_version": text,
        "rule": _str("which status a year shows (rules: membership_year)"),
        "row_order": _str("how the states are ordered"),
        "full_members": _str("what the counts of full members count (statuses flagged full_member)"),
        "states": {"type": "array", "minItems": len(ISO3), "maxItems": len(ISO3),
                   "items": _obj({"iso3": {"type": "string", "enum": list(ISO3)}, "name": text}),
                   "description": "the 15 states in the grid's row order (a seriation of their memberships)"},
        "orgs": {"type": "array", "items": _ref("schemas", "OverlapOrganisation")},
        "texts": {"type": "array", "items": {"type": "string"}, "description": "the bases and sources, once each"},
    }, description="Every state's status in every organisation and year, for the overlap view")
    source = _obj({c: text for c in data.sources.columns},
                  description="A source; 'feeds' lists the indicator ids it feeds, ';'-separated")
    error = _obj({"error": {"type": "string", "enum": list(ERROR_CODES)},
                  "detail": _str("what was wrong, naming the parameter and the allowed values")})
    geojson = _obj({"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {
        "type": "object", "required": ["type", "geometry", "properties"],
        "properties": {"type": {"const": "Feature"}, "geometry": {"type": "object"},
                       "properties": {"type": "object"}}}}},
        required=["type", "features"], additional=True)

    schemas = {
        "Error": error, "SourceRef": source_ref, "IndicatorClass": indicator_class, "Indicator": indicator,
        "Observation": observation, "Spell": spell, "MembershipStatus": status_row, "Event": event,
        "Source": source, "FeatureCollection": geojson,
        "IndicatorsResponse": _obj({
            "groups": {"type": "array", "items": _obj({"id": text, "label": text})},
            "rules": {"type": "object", "additionalProperties": {"type": "string"},
                      "description": "the rules of the atlas (membership year, missing values, …), as shown "
                                     "in the sources tab"},
            "count": {"type": "integer", "minimum": 0},
            "indicators": {"type": "array", "items": _ref("schemas", "Indicator")}}),
        "ObservationsResponse": _table_response("Observation", {
            "indicator": {"type": "array", "items": {"type": "string", "enum": indicator_ids}},
            "data_version": {"type": "string", "description": "version of the published data"},
            "sources": {"type": "array", "items": _ref("schemas", "SourceRef")}},
            "Tidy observations, in the order of data/processed/observations.csv"),
        "MembershipsResponse": _obj({
            "org": {"type": "array", "items": {"type": "string", "enum": orgs}},
            "year": {"type": ["integer", "null"], "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
            "count": {"type": "integer", "minimum": 0},
            "rows": {"type": "array", "items": {"anyOf": [_ref("schemas", "Spell"),
                                                          _ref("schemas", "MembershipStatus")]},
                     "description": "spells without 'year'; one status row per state and organisation with it"},
            "sources": {"type": "array", "items": _ref("schemas", "SourceRef")}}),
        "OverlapOrganisation": overlap_org,
        "OverlapResponse": overlap_doc,
        "Flow": flow,
        "FlowsResponse": _table_response("Flow", {
            "origin": {"type": ["array", "null"], "items": {"type": "string"}},
            "asylum": {"type": ["array", "null"], "items": {"type": "string"}},
            "year": {"type": ["integer", "null"], "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
            "indicator": {"type": "array", "items": {"type": "string", "enum": list(POPULATION_TYPES)}},
            "data_version": {"type": "string", "description": "version of the published data"},
            "codes": {"type": "object", "description": "UNHCR's codes that are not countries (UNK, XXA): "
                                                       "name and meaning"},
            "sources": {"type": "array", "items": _ref("schemas", "SourceRef")}},
            "UNHCR origin→asylum pairs in which one side is one of the 15 states, in the order of "
            "data/processed/flows.csv"),
        "EventsResponse": _table_response("Event", {
            "sources": {"type": "array", "items": _ref("schemas", "SourceRef")}}, "Dated events"),
        "SourcesResponse": _table_response("Source", {}, "The sources catalogue"),
        "ApiIndex": _obj({"name": text, "version": text, "openapi": text,
                          "endpoints": {"type": "array", "items": text}}),
    }

    def error_response(description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": _ref("schemas", "Error")}}}

    cached = {"Cache-Control": {"description": CACHE_CONTROL, "schema": text},
              "ETag": {"description": "content hash; send it back in If-None-Match", "schema": text}}

    def op(op_id: str, summary: str, description: str, params: Sequence[str], schema: str, *,
           csv_too: bool = True, media: str = "application/json", tag: str = "data") -> dict[str, Any]:
        content: dict[str, Any] = {media: {"schema": _ref("schemas", schema)}}
        if csv_too:
            content["text/csv"] = {"schema": {"type": "string"}}
        responses: dict[str, Any] = {
            "200": {"description": "OK", "headers": {**cached}, "content": content},
            "304": {"description": "Not modified (If-None-Match matched the ETag)"},
            "400": _ref("responses", "BadRequest"),
            "404": _ref("responses", "NotFound"),
            "405": _ref("responses", "MethodNotAllowed"),
        }
        if csv_too:
            responses["200"]["headers"]["Content-Disposition"] = {
                "description": "with format=csv: attachment; filename=...", "schema": text}
        return {"get": {"operationId": op_id, "summary": summary, "description": description, "tags": [tag],
                        "parameters": [_ref("parameters", p) for p in params], "responses": responses}}

    paths = {
        "/": op("index", "API index", "Name, version and the list of endpoints.", [], "ApiIndex",
                csv_too=False, tag="meta"),
        "/indicators": op("listIndicators", "Indicator catalogue",
                          "Every layer of the atlas, membership layers included, with legend classes, "
                          "class breaks, sources, licence and year range. In CSV, lists are ';'-joined and "
                          "'years' becomes first_year/last_year.", ["format"], "IndicatorsResponse"),
        "/observations": op("getObservations", "Values of any layer",
                            "Rows of the published table of values (one per state, year and layer), filtered "
                            "by layer, state and years; missing values are absent, published zeros stay 0; "
                            "codes and membership statuses have a null value and a category. Each row has "
                            "its class, legend label, unit, source, licence and notes.",
                            ["indicator", "iso3", "from", "to", "format"],
                            "ObservationsResponse"),
        "/memberships": op("getMemberships", "Membership history",
                           "Without 'year': the curated spells. With 'year': the status of that year for "
                           "every state, with the status label and its basis. "
                           + data.rules.get("membership_year", ""),
                           ["org", "iso3", "year", "format"], "MembershipsResponse"),
        "/overlap": op("getOverlap", "Memberships of all states in all organisations, every year",
                       "One compact document (the atlas's overlap view loads it once): the organisations "
                       "with their statuses (labels and colours of the map legend), the 15 states in an "
                       "order that puts states with similar memberships together, and for each "
                       "organisation the status index of every state and year with its legal basis and "
                       "source. The same statuses as /memberships?year=. No parameters. "
                       + data.rules.get("membership_year", ""), [], "OverlapResponse", csv_too=False),
        "/events": op("getEvents", "Dated events",
                      "Events between 'from' and 'to'; with 'iso3', only events naming one of these "
                      "states (region-wide events, with an empty 'countries', are left out).",
                      ["from", "to", "iso3", "format"], "EventsResponse"),
        "/flows": op("getFlows", "Bilateral displacement (UNHCR origin→asylum pairs)",
                     "Refugees, asylum-seekers, other people in need of international protection and "
                     "returned refugees by country of origin and country of asylum, for pairs in which one "
                     "side is one of the 15 states (UNHCR Refugee Data Finder). Only non-zero values are "
                     "published: a pair absent in a year is no record or 0. UNK = unknown origin, XXA = "
                     "stateless (see 'codes').",
                     ["origin", "asylum", "flowYear", "flowIndicator", "format"], "FlowsResponse"),
        "/geodata/{layer}.geojson": op("getGeodata", "Boundary layer",
                                       "The GeoJSON file of a layer: the 15 states, the grey context, or "
                                       "the contested areas.", ["layer"], "FeatureCollection",
                                       csv_too=False, media="application/geo+json", tag="geodata"),
        "/sources": op("listSources", "Sources catalogue", "Every source with citation and licence.",
                       ["format"], "SourcesResponse"),
        "/openapi.json": op("getOpenapi", "This document", "The OpenAPI 3.1 description of the API.", [],
                            "OpenApiDocument", csv_too=False, tag="meta"),
    }
    schemas["OpenApiDocument"] = {"type": "object", "required": ["openapi", "info", "paths"]}

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Atlas of the former Soviet space — data API",
            "version": "1.0.0",
            "summary": "Indicators, memberships, events and boundaries of the 15 post-Soviet states since 1991.",
            "description": (
                "Read-only, static data. Every GET answers JSON by default or CSV with format=csv. "
                "Errors are JSON {error, detail}: 400 for a bad, unknown, repeated, empty or over-long "
                f"(> {MAX_PARAM_LENGTH} characters) parameter, 404 for an unknown path, 405 for a wrong "
                "method. Each value keeps the licence of its source (see /sources)."),
            "license": {"name": "Data under their sources' licences; code MIT",
                        "identifier": "MIT"},
        },
        "servers": [{"url": API_PREFIX}],
        "tags": [{"name": "data"}, {"name": "geodata"}, {"name": "meta"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": parameters,
            "responses": {
                "BadRequest": error_response("Bad parameter (unknown, repeated, empty, too long or invalid)"),
                "NotFound": error_response("No such endpoint or layer"),
                "MethodNotAllowed": error_response("Only GET (and HEAD) are allowed"),
            },
        },
    }
