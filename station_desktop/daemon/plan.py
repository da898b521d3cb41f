"""The last plan (which servers, stations and mounts to sample), kept on disk.

Every time stationd reads the plan from the database (each statistics round, each
supervisor pass) it is saved to ``<state_dir>/plan.json``, atomically and only when it
changed. A stationd that starts while the database is down loads it, so it still samples
Icecast (into the on-disk sample buffer, replayed when the database is back) and still
knows which stations' Liquidsoaps to keep running.

The file holds no secret: server addresses, station ids, mountpoints, bitrates, ports and
the stream settings (never the live password, which is not part of the records). A file
that is missing, unreadable, of another format, or saved for other servers is ignored
(logged), never fatal.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from station_desktop.db.types import utcnow
from station_desktop.fileio import write_if_changed
from station_desktop.services.fleet import ServerRecord
from station_desktop.services.stations import StreamConfigRecord, StreamSettings

log = logging.getLogger("station_desktop.daemon.plan")

PLAN_FILE = "plan.json"
PLAN_FORMAT = "stationd/plan"
PLAN_VERSION = 1

Plan = tuple[list[ServerRecord], dict[str, list[StreamConfigRecord]]]
T = TypeVar("T")


_SERVER_FIELDS = tuple(f.name for f in dataclasses.fields(ServerRecord))
_CONFIG_FIELDS = tuple(f.name for f in dataclasses.fields(StreamConfigRecord)
                       if f.name != "settings")
_SETTINGS_FIELDS = tuple(f.name for f in dataclasses.fields(StreamSettings))


def _config_dict(config: StreamConfigRecord) -> dict[str, Any]:
    # by hand: dataclasses.asdict deep-copies, 5x slower for a plan of 500 stations
    out = {name: getattr(config, name) for name in _CONFIG_FIELDS}
    out["settings"] = {name: getattr(config.settings, name) for name in _SETTINGS_FIELDS}
    return out


def plan_document(server_ids: Sequence[str] | None, plan: Plan) -> dict[str, Any]:
    servers, configs = plan
    return {
        "format": PLAN_FORMAT,
        "version": PLAN_VERSION,
        "server_ids": sorted(server_ids) if server_ids is not None else None,
        "servers": [{name: getattr(server, name) for name in _SERVER_FIELDS}
                    for server in servers],
        "configs": {
            server_id: [_config_dict(config) for config in records]
            for server_id, records in sorted(configs.items())
        },
    }


def _build(cls: type[T], data: object) -> T:
    """``cls(**data)`` with only the fields ``cls`` knows (a newer file's extra fields are
    dropped; a missing required one raises TypeError)."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} is not an object")
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def _config(data: object) -> StreamConfigRecord:
    if not isinstance(data, dict):
        raise TypeError("a configuration is not an object")
    settings = dict(data.get("settings") or {})
    settings["bitrates"] = tuple(int(b) for b in settings.get("bitrates", ()))
    return _build(StreamConfigRecord, {**data, "settings": _build(StreamSettings, settings)})


def plan_from_document(document: object, server_ids: Sequence[str] | None) -> Plan:
    """The plan saved by :func:`plan_document` for ``server_ids``; ValueError (or a
    TypeError/KeyError) when the document is not one."""
    if not isinstance(document, dict) or document.get("format") != PLAN_FORMAT:
        raise ValueError("not a stationd plan")
    if document.get("version") != PLAN_VERSION:
        raise ValueError(f"plan version {document.get('version')!r} is not {PLAN_VERSION}")
    wanted = sorted(server_ids) if server_ids is not None else None
    if document.get("server_ids") != wanted:
        raise ValueError(f"saved for servers {document.get('server_ids')!r}, not {wanted!r}")
    servers = [_build(ServerRecord, s) for s in document["servers"]]
    configs = {str(server_id): [_config(c) for c in records]
               for server_id, records in dict(document["configs"]).items()}
    return servers, configs


class PlanCache:
    """``<state_dir>/plan.json`` (see module docstring). Thread-safe."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / PLAN_FILE
        self._lock = threading.Lock()
        self.saved_at: str | None = None  # when this process last wrote it (ISO 8601)
        self._last_saved: tuple[list[str] | None, Plan] | None = None

    def save(self, server_ids: Sequence[str] | None, plan: Plan) -> bool:
        """Keep ``plan``; True when the file changed. Never raises for a disk problem
        (logged): sampling goes on without it."""
        key = (sorted(server_ids) if server_ids is not None else None, plan)
        with self._lock:
            if key == self._last_saved:  # what this process wrote last (records compare
                return False             # by value): no JSON to build, nothing to read
            data = json.dumps(plan_document(server_ids, plan), ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
            try:
                changed = write_if_changed(self.path, data)
            except OSError as error:
                log.warning("cannot save the plan to %s: %s", self.path, error)
                return False
            self._last_saved = key
        if changed:
            self.saved_at = utcnow().isoformat()
            log.debug("plan saved to %s", self.path)
        return changed

    def load(self, server_ids: Sequence[str] | None) -> Plan | None:
        """The saved plan for ``server_ids``, or None (missing or unusable: logged)."""
        with self._lock:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return None
            except OSError as error:
                log.warning("cannot read the saved plan %s: %s", self.path, error)
                return None
        try:
            plan = plan_from_document(json.loads(raw.decode("utf-8")), server_ids)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            log.warning("ignoring the saved plan %s: %s", self.path, error)
            return None
        servers, configs = plan
        log.info("loaded the last plan from %s: %d server(s), %d station(s)", self.path,
                 len(servers), sum(len(c) for c in configs.values()))
        return plan


__all__ = ["PLAN_FILE", "Plan", "PlanCache", "plan_document", "plan_from_document"]
