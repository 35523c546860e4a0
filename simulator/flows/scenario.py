"""Scenarios: everything a planner can set, validated with pydantic.

A scenario is a YAML file in ``scenarios/``. Every field has a default with
the reason for it in its description; a file only needs what differs, but
the shipped files spell out their rates so a planner can read them.

Adoption (channel mix, signatures, equipment), volumes, service times,
staffing and network outages apply to every unit and can be overridden for
one level or one district (the district's committee and all its communes)
with ``overrides``; a district's override wins over its level's. A few
settings are province-wide by nature (``GLOBAL_ONLY``). Equipment and
training can also grow over the period, quarter by quarter, with a
``rollout`` and its ``investment_costs`` (:mod:`~simulator.flows.rollout`).
The groups of settings themselves are in :mod:`~simulator.flows.settings`.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from simulator.errors import UserError
from simulator.i18n import translator

from simulator.flows.rollout import InvestmentCosts, RolloutStep
from simulator.flows.settings import (LEVEL_KEYS, Adoption, ChannelMix, Costs, LevelRates, Minutes, Outages, Rate,
                                      ServiceTimes, Share, StaffingOverride, Strict, Transit, Volumes)

_ = translator("flows")

__all__ = ["LEVEL_KEYS", "Adoption", "ChannelMix", "Costs", "InvestmentCosts", "LevelRates", "Minutes", "Outages",
           "Rate", "RolloutStep", "Scenario", "ServiceTimes", "Share", "StaffingOverride", "Strict", "Transit",
           "Volumes", "find_district", "merge_settings", "scenario_path"]


# The planners' scenario files shipped with the project (scenarios/ at the repository root).
SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"


def scenario_path(name_or_path: str | Path) -> Path:
    """``"plan-2020"`` -> ``scenarios/plan-2020.yaml``; a path is returned as it is."""
    path = Path(name_or_path)
    return path if path.suffix else SCENARIOS_DIR / f"{path}.yaml"


PAPER_EXCEPTIONS = ("legal_normative", "finance", "personnel", "complaints", "to_individuals")


class Rules(Strict):
    """What the rules allow, by date: the national axis and the plan's paper exceptions."""

    national_axis_start: date = Field(
        date(2019, 3, 12), description="The national document exchange axis (Trục liên thông văn bản quốc gia) "
                                       "went live on 12/3/2019; before it, documents to and from central bodies "
                                       "go by e-mail or post.")
    paper_exceptions: list[Literal[PAPER_EXCEPTIONS]] = Field(
        default_factory=lambda: list(PAPER_EXCEPTIONS),
        description="Documents between agencies and to businesses and citizens still sent with paper (plan "
                    "338/KH-UBND, after QĐ 28/2018/QĐ-TTg): legal normative documents; finance, personnel and "
                    "complaint documents (electronic with a paper copy); documents to individuals (on paper). "
                    "Internal documents have none.")
    paper_exceptions_end: date | None = Field(
        None, description="Documents created from this day on have no paper exceptions (none: the whole period).")


CALIBRATED = ("adoption.internal.electronic", "adoption.internal.electronic_with_paper",
              "adoption.internal.digital_signature", "adoption.interagency.electronic",
              "adoption.interagency.digital_signature", "adoption.citizens.electronic",
              "adoption.citizens.digital_signature", "adoption.portal_publication", "adoption.archive_digitisation")


class Calibration(Strict):
    """How ``vbdt calibrate`` fits the behaviour parameters to the plan's column for ``plan_year``."""

    parameters: list[str] = Field(
        default_factory=lambda: list(CALIBRATED),
        description="Settings fitted (staff habits and the portal and archive practice); equipment rows IV are "
                    "inputs, not fitted.")
    weights: dict[str, Annotated[float, Field(ge=0.0)]] = Field(
        default_factory=dict, description="Weight of each row of the plan's table in the fit (default 1; 0 leaves "
                                          "a row out). Say here how inconsistent rows are read.")
    targets: dict[str, Share] = Field(
        default_factory=dict, description="Values to fit instead of the plan's column (e.g. shares counted in the "
                                          "province's own registers), by row.")
    tolerance: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.05, description="A fitted row within this distance of the column counts as reproduced.")
    days: Annotated[int, Field(ge=5, le=3660)] = Field(60, description="Days simulated per evaluation.")
    replications: Annotated[int, Field(ge=1, le=100)] = Field(2, description="Replications per evaluation "
                                                                             "(common random numbers).")
    seed: Annotated[int, Field(ge=0)] = 0
    iterations: Annotated[int, Field(ge=1, le=10)] = Field(3, description="Gauss-Newton steps after the "
                                                                          "sensitivities.")

    @model_validator(mode="after")
    def _known(self):
        from simulator.flows.indicators import PLAN_ROWS

        rows = {row[0] for row in PLAN_ROWS if not row[0].startswith("IV.")}
        for rid in [*self.weights, *self.targets]:
            if rid not in rows:
                raise ValueError(_("unknown row {row!r} of the plan's table (I.1 to III.5)", row=rid))
        shares = Adoption().model_dump()
        for path in self.parameters:
            node = {"adoption": shares}
            for part in path.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, float):
                raise ValueError(_("{path!r} cannot be fitted: name a share under adoption "
                                   "(e.g. adoption.internal.electronic)", path=path))
        return self


class Period(Strict):
    start: date = date(2019, 1, 1)
    days: Annotated[int, Field(ge=1, le=3660)] = 365


# Settings that only make sense province-wide (one random-number table, one set of rules).
GLOBAL_ONLY = {"volumes": ("pages_mean",), "service": ("cv", "handle_due_working_days", "urgent_due_working_days")}


class Override(Strict):
    """Settings for one level or one district (its committee and communes)."""

    level: Literal["province", "district", "commune"] | None = None
    district: str | None = None
    adoption: dict[str, Any] = Field(default_factory=dict)
    volumes: dict[str, Any] = Field(default_factory=dict)
    service: dict[str, Any] = Field(default_factory=dict)
    unit_network_per_week: Rate | None = None
    staffing: StaffingOverride | None = None

    @model_validator(mode="after")
    def _target(self):
        if (self.level is None) == (self.district is None):
            raise ValueError(_("an override names exactly one of 'level' or 'district'"))
        for group, keys in GLOBAL_ONLY.items():
            for key in keys:
                if key in getattr(self, group):
                    raise ValueError(_("{setting} applies to the whole province; it cannot be overridden "
                                       "for one level or district", setting=f"{group}.{key}"))
        _merge_adoption(Adoption(), self.adoption)  # validate the partial settings now
        merge_settings(Volumes(), self.volumes)
        merge_settings(ServiceTimes(), self.service)
        return self


def _deep_merge(base: dict, changes: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def merge_settings(base: BaseModel, changes: dict) -> BaseModel:
    """``base`` with a partial dict of changes, validated."""
    if not changes:
        return base
    return type(base).model_validate(_deep_merge(base.model_dump(), changes))


def _merge_adoption(base: Adoption, changes: dict) -> Adoption:
    return merge_settings(base, changes)


class Scenario(Strict):
    """A planner's scenario: structure, period, volumes, adoption, outages, costs."""

    name: str = "scenario"
    description: str | dict[Literal["vi", "en"], str] = Field(
        "", description="Free text, or one text per language: {vi: ..., en: ...}.")
    province: str = "Nghệ An"
    structure: Literal[2024, 2025] | None = Field(
        None, description="Force a structure (2024: 3 levels, 2025: 2 levels); by default the one in force on "
                          "the period's first day (data/history.yaml).")
    plan_year: Literal[2018, 2019, 2020] = Field(2020, description="Column of the plan's table to compare with.")
    period: Period = Period()
    only_district: str | None = Field(None, description="Simulate one district (its committee and communes) "
                                                        "with the province level as source and sink.")
    volumes: Volumes = Volumes()
    adoption: Adoption = Adoption()
    overrides: list[Override] = Field(default_factory=list)
    outages: Outages = Outages()
    transit: Transit = Transit()
    service: ServiceTimes = ServiceTimes()
    staffing: dict[Literal["committee", "department", "district", "commune"], StaffingOverride] = Field(
        default_factory=dict)
    costs: Costs = Costs()
    rollout: list[RolloutStep] = Field(
        default_factory=list, description="Investments by quarter: from each step's quarter on, the units it names "
                                          "have at least its equipment and training shares (simulator.flows.rollout).")
    investment_costs: InvestmentCosts = InvestmentCosts()
    rules: Rules = Rules()
    calibration: Calibration = Calibration()
    readings: dict[str, str | dict[Literal["vi", "en"], str]] = Field(
        default_factory=dict, description="How this scenario reads the plan table's rows (text, or per language).")

    @staticmethod
    def localised(text: str | dict) -> str:
        """A text in the user's language when the file gives several."""
        if isinstance(text, str):
            return text
        from simulator.i18n import current_language

        return text.get(current_language()) or next(iter(text.values()), "")

    # -- loading -------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> "Scenario":
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(_("{file}: file not found", file=path), field="scenario") from None
        except yaml.YAMLError as exc:
            raise UserError(_("{file}: not valid YAML ({error})", file=path, error=str(exc).splitlines()[0]),
                            field="scenario") from None
        if not isinstance(data, dict):
            raise UserError(_("{file}: a scenario is a mapping of settings", file=path), field="scenario")
        data.setdefault("name", path.stem)
        scenario = cls.from_dict(data, source=str(path))
        scenario.check_units(source=str(path))
        return scenario

    @classmethod
    def from_dict(cls, data: dict, source: str = "scenario") -> "Scenario":
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise UserError(_describe(exc, source), field=_location(exc.errors()[0])) from None

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")

    def override(self, changes: dict[str, Any] | None = None, /, **dotted: Any) -> "Scenario":
        """A copy with settings changed: ``override({"adoption.interagency.electronic": 0.9})``."""
        data = self.model_dump(mode="json")
        for path, value in {**(changes or {}), **dotted}.items():
            parts = path.replace("__", ".").split(".")
            node = data
            for part in parts[:-1]:
                if not isinstance(node, dict) or part not in node:
                    raise UserError(_("unknown setting {path!r}", path=path), field=path)
                node = node[part]
            if not isinstance(node, dict) or parts[-1] not in node:
                raise UserError(_("unknown setting {path!r}", path=path), field=path)
            node[parts[-1]] = value
        return Scenario.from_dict(data, source=self.name)

    def load_province(self):
        """The province as it stood on the period's first day (its structure, unless forced, and its agencies)."""
        from simulator.province import load_province

        return load_province(self.province, self.structure, on=self.period.start)

    def check_units(self, source: str = "scenario") -> None:
        """Unknown district names are bad input, reported like a validation error."""
        province = self.load_province()
        names = [(f"overrides.{i}.district", o.district) for i, o in enumerate(self.overrides) if o.district]
        if self.only_district:
            names.append(("only_district", self.only_district))
        names += [(f"rollout.{i}.where.districts", name) for i, step in enumerate(self.rollout)
                  for name in step.where.districts]
        for where, name in names:
            if find_district(province, name) is None:
                raise UserError(_("{file}: {field}: unknown district {name!r}", file=source, field=where, name=name),
                                field=where)


def find_district(province, name: str):
    """The district-level unit called ``name`` (code, 'Huyện Kỳ Sơn' or 'Kỳ Sơn'), else None."""
    from simulator.text import name_key

    if province.get(name) is not None:
        unit = province.get(name)
        return unit if unit.kind.value == "district_committee" else None
    key = name_key(name)
    found = [u for u in province.districts if key in (name_key(u.short_name), name_key(u.name))]
    return found[0] if len(found) == 1 else None


def _location(error: dict) -> str:
    return ".".join(str(p) for p in error.get("loc", ()) if not str(p).startswith("function-after"))


def _describe(exc: ValidationError, source: str) -> str:
    """One line: file, field path and what is wrong, in the user's language."""
    error = exc.errors()[0]
    kind, ctx = error["type"], error.get("ctx", {})
    where = _location(error) or _("(top level)")
    if kind == "extra_forbidden":
        what = _("unknown key")
    elif kind == "missing":
        what = _("required setting is missing")
    elif kind in ("less_than_equal", "less_than") and ctx.get("le", ctx.get("lt")) == 1.0:
        what = _("a share must be between 0 and 1 (0% to 100%), got {value}", value=error.get("input"))
    elif kind in ("greater_than_equal", "greater_than"):
        what = _("must not be negative or zero here (minimum {limit}), got {value}",
                 limit=ctx.get("ge", ctx.get("gt")), value=error.get("input"))
    elif kind in ("less_than_equal", "less_than"):
        what = _("must be at most {limit}, got {value}", limit=ctx.get("le", ctx.get("lt")), value=error.get("input"))
    elif kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        what = _("wrong type: a number is expected, got {value!r}", value=error.get("input"))
    elif kind in ("literal_error", "enum"):
        what = _("must be one of {allowed}, got {value!r}", allowed=ctx.get("expected", ""), value=error.get("input"))
    elif kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        what = _("wrong type: a date YYYY-MM-DD is expected, got {value!r}", value=error.get("input"))
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        what = _("wrong type: a mapping of settings is expected")
    elif kind == "value_error":
        what = str(ctx.get("error", error["msg"]))
    else:
        what = _("invalid value ({detail})", detail=error["msg"])
    return _("{file}: {field}: {problem}", file=source, field=where, problem=what)
