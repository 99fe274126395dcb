"""The audit rule registry: every rule's id, scope, severity and fix, from ``data/rules.yaml``, and the config file
that switches rules off and names the brand.

One registry serves the page audit, the site checks and the profile audit, so ``socialseo audit rules`` lists
everything a user can meet in a finding, and one ``[audit] disable = [...]`` list silences any of it.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import duckdb
import pandas as pd
import yaml

from socialseo.errors import InputFileError

Severity = Literal["error", "warning", "notice"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}


@dataclass(frozen=True)
class Rule:
    id: str
    scope: str
    severity: Severity
    title: str
    fix: str


@cache
def _data() -> dict[str, Any]:
    text = resources.files("socialseo.analysis.audit").joinpath("data", "rules.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


@cache
def rules() -> MappingProxyType[str, Rule]:
    """Every rule by id, in file order."""
    return MappingProxyType({str(r["id"]): Rule(**r) for r in _data()["rules"]})


def thresholds() -> dict[str, Any]:
    return dict(_data()["thresholds"])


def rules_frame() -> pd.DataFrame:
    """The registry as a table (``socialseo audit rules``)."""
    return pd.DataFrame([vars(r) for r in rules().values()], columns=["id", "scope", "severity", "title", "fix"])


@dataclass(frozen=True)
class ProfileEntry:
    """One brand profile from the config: its URL, and optionally a saved copy of the page and of the avatar."""

    platform: str
    url: str | None = None
    saved: Path | None = None
    avatar: Path | None = None


@dataclass(frozen=True)
class Brand:
    name: str = ""
    site: str = ""
    keywords: tuple[str, ...] = ()
    logo: Path | None = None


@dataclass(frozen=True)
class AuditConfig:
    """What ``--config FILE`` says: rules switched off, the brand, and its profiles."""

    disabled: frozenset[str] = frozenset()
    brand: Brand = field(default_factory=Brand)
    profiles: tuple[ProfileEntry, ...] = ()

    def enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled


def load_config(path: Path | None) -> AuditConfig:
    """Read an audit/profiles TOML file; paths inside it are relative to the file. ``None`` gives the defaults.

    An unknown rule id in ``disable`` is an error, so a typo never silently leaves a rule on.
    """
    if path is None:
        return AuditConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: no such file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: not valid TOML ({exc})") from exc
    base = path.parent
    disabled = frozenset(str(r) for r in data.get("audit", {}).get("disable", []))
    unknown = sorted(disabled - set(rules()))
    if unknown:
        raise InputFileError(f"{path}: unknown rule id(s) in [audit] disable: {', '.join(unknown)} "
                             "(see `socialseo audit rules`)")
    raw_brand = data.get("brand", {})
    if not isinstance(raw_brand, dict):
        raise InputFileError(f"{path}: [brand] must be a table")
    brand = Brand(
        name=str(raw_brand.get("name", "")),
        site=str(raw_brand.get("site", "")),
        keywords=tuple(str(k) for k in raw_brand.get("keywords", [])),
        logo=_path(base, raw_brand.get("logo")),
    )
    profiles = []
    for index, raw in enumerate(data.get("profiles", []), 1):
        if not isinstance(raw, dict) or "platform" not in raw or not (raw.get("url") or raw.get("saved")):
            raise InputFileError(f"{path}: [[profiles]] entry {index} needs `platform` and `url` or `saved`")
        profiles.append(ProfileEntry(str(raw["platform"]), raw.get("url"), _path(base, raw.get("saved")),
                                     _path(base, raw.get("avatar"))))
    return AuditConfig(disabled, brand, tuple(profiles))


def _path(base: Path, value: Any) -> Path | None:
    if not value:
        return None
    text = str(value)
    if text.startswith(("http://", "https://")):
        return None
    return (base / text).resolve()


FINDING_COLUMNS = ["rule_id", "severity", "url", "message", "fix", "detail"]


def finding(rule_id: str, url: str | None, message: str, detail: Any = None) -> dict[str, Any]:
    """One finding row; severity and fix come from the registry so they are said once."""
    rule = rules()[rule_id]
    return {"rule_id": rule_id, "severity": rule.severity, "url": url, "message": message, "fix": rule.fix,
            "detail": detail}


def store_findings(con: duckdb.DuckDBPyConnection, findings: pd.DataFrame, audit_id: str) -> None:
    """Append findings to ``audit_findings`` under ``audit_id`` (one set-based insert)."""
    frame = findings.assign(audit_id=audit_id, detail=findings["detail"].map(
        lambda d: None if d is None else json.dumps(d)))
    con.register("findings_frame", frame)
    try:
        con.execute("INSERT INTO audit_findings (audit_id, rule_id, severity, url, message, fix, detail) "
                    "SELECT audit_id, rule_id, severity, url, message, fix, detail::JSON FROM findings_frame")
    finally:
        con.unregister("findings_frame")
