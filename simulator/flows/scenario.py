"""Scenarios: everything a planner can set, validated with pydantic.

A scenario is a YAML file in ``scenarios/``. Every field has a default with
the reason for it in its description; a file only needs what differs, but
the shipped files spell out their rates so a planner can read them.

Adoption (channel mix, signatures, equipment), volumes, service times,
staffing and network outages apply to every unit and can be overridden for
one level or one district (the district's committee and all its communes)
with ``overrides``; a district's override wins over its level's. A few
settings are province-wide by nature (``GLOBAL_ONLY``).
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("flows")

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Rate = Annotated[float, Field(ge=0.0)]
Minutes = Annotated[float, Field(gt=0.0)]

LEVEL_KEYS = ("central", "committee", "department", "district", "commune")


# The planners' scenario files shipped with the project (scenarios/ at the repository root).
SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"


def scenario_path(name_or_path: str | Path) -> Path:
    """``"plan-2020"`` -> ``scenarios/plan-2020.yaml``; a path is returned as it is."""
    path = Path(name_or_path)
    return path if path.suffix else SCENARIOS_DIR / f"{path}.yaml"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelRates(Strict):
    """A rate per kind of unit (documents per unit and working day, or a share)."""

    central: Rate = 0.0
    committee: Rate = 0.0
    department: Rate = 0.0
    district: Rate = 0.0
    commune: Rate = 0.0


class Volumes(Strict):
    """Documents created per unit and working day, by flow.

    Defaults are orders of magnitude for a large province (Nghệ An issues
    tens of thousands of documents a year at province level); planners
    should replace them with counts from their registers (sổ đi).
    """

    internal: LevelRates = Field(
        default=LevelRates(committee=4, department=4, district=4, commune=0.8),
        description="Internal notes, invitations, assignments inside one unit (plan rows I.*).")
    down: LevelRates = Field(
        default=LevelRates(central=8, committee=10, department=2.5, district=3),
        description="Directions to subordinate units: the bulk of a commune's incoming mail.")
    up: LevelRates = Field(
        default=LevelRates(committee=1, department=3, district=4, commune=1.5),
        description="Reports and submissions (báo cáo, tờ trình) to the superior level.")
    lateral: LevelRates = Field(
        default=LevelRates(department=2, district=0.3, commune=0.1),
        description="Correspondence between units of the same level.")
    citizens_out: LevelRates = Field(
        default=LevelRates(department=1, district=1, commune=0.8),
        description="Answers and notices to businesses and citizens (plan rows III.*).")
    citizens_in: LevelRates = Field(
        default=LevelRates(department=2, district=2, commune=1.2),
        description="Petitions and requests arriving from businesses and citizens.")
    broadcast_share: LevelRates = Field(
        default=LevelRates(central=0.8, committee=0.5, department=0.6, district=0.7),
        description="Share of downward documents addressed to every subordinate unit at once.")
    province_to_communes_share: Share = Field(
        0.1, description="Share of province-level broadcasts sent to every commune directly "
                         "(the 2-level structure always does).")
    reply_share: Share = Field(0.2, description="Share of handled documents that need a reply (a new document).")
    action_share: Share = Field(0.45, description="Share of incoming documents that need handling by a "
                                                  "specialist; the rest are read and filed.")
    urgent_share: Share = Field(0.05, description="Share marked khẩn or above, handled first and 'at once'.")
    secret_share: Share = Field(0.01, description="Share marked MẬT: never sent electronically.")
    defect_share: Share = Field(0.005, description="Electronic documents arriving with a forged or expired "
                                                   "signature or misaddressed; the clerk returns them "
                                                   "(Decree 30, Art. 11).")
    pages_mean: Annotated[float, Field(ge=1.0)] = Field(2.5, description="Mean pages of a document.")
    # Subjects behind the plan's paper exceptions (rules.paper_exceptions). No register in the seed gives
    # counts by subject: these are orders of magnitude to replace with counts from the registers (sổ đi).
    finance_share: Share = Field(0.08, description="Documents on finance (budgets, allocations, settlements).")
    personnel_share: Share = Field(0.06, description="Documents on personnel (appointments, staffing, discipline).")
    complaint_share: Share = Field(0.03, description="Documents on complaints and denunciations.")
    normative_share: Share = Field(0.1, description="Of the legal and directive documents (decisions, resolutions, "
                                                    "rules), the share that are legal normative documents (QPPL); "
                                                    "most decisions are individual administrative ones.")
    to_individuals_share: Share = Field(0.6, description="Of the documents to businesses and citizens, the share "
                                                         "addressed to a person (a household, an applicant) rather "
                                                         "than a business.")


class ChannelMix(Strict):
    """Staff habit for one group of documents, where the causes allow electronic sending.

    These are behaviour, not the plan's rows: they apply only to documents
    whose sender has a document system, whose drafter has a computer and
    whose type is outside the paper exceptions; what travels is then decided
    per recipient by both ends' equipment (:mod:`simulator.flows.channels`).
    The plan's rows I-III are measured from the result.
    """

    electronic: Share = Field(0.5, description="Of the documents that can go electronically, the share staff send "
                                               "electronically only.")
    electronic_with_paper: Share = Field(0.45, description="The share to which staff add a paper copy by habit "
                                                           "(the rest they print and send on paper only).")
    digital_signature: Share = Field(0.1, description="Of the electronic ones whose signer holds a certificate, the "
                                                      "share signed digitally (the rest signed on paper and scanned).")

    @model_validator(mode="after")
    def _sums(self):
        if self.electronic + self.electronic_with_paper > 1.0 + 1e-9:
            raise ValueError(_("electronic + electronic_with_paper must not exceed 100%"))
        return self


class Adoption(Strict):
    """Rollout of electronic working; overridable per level and per district."""

    internal: ChannelMix = ChannelMix(electronic=0.5, electronic_with_paper=0.5, digital_signature=0.1)
    interagency: ChannelMix = ChannelMix(electronic=0.5, electronic_with_paper=0.45, digital_signature=0.02)
    citizens: ChannelMix = ChannelMix(electronic=0.05, electronic_with_paper=0.0, digital_signature=0.02)
    citizens_online: Share = Field(0.05, description="Petitions and requests that citizens and businesses file "
                                                     "online (the public's habit; the rest come on paper).")
    portal_publication: Share = Field(0.2, description="Legal and directive documents published on the portal (II.5, III.5).")
    archive_digitisation: Share = Field(0.5, description="Paper records scanned for search when filed (I.5).")
    connected: Share = Field(0.7, description="Units whose document system is connected to the exchange axis (IV.1).")
    document_system: Share = Field(0.9, description="Units equipped with a document system (IV.2).")
    certificates: Share = Field(0.8, description="Leaders holding a signature certificate (IV.3).")
    mailbox: Share = Field(0.8, description="Staff with an official mailbox (IV.4).")
    computers: Share = Field(0.8, description="Computers per staff member (IV.5); a leader signs digitally only "
                                              "at a computer (the certificate's token).")


class Outages(Strict):
    """Network failures; documents wait in the axis and are retried, never lost."""

    unit_network_per_week: Rate = Field(0.5, description="Outages of one unit's network per week.")
    unit_network_hours: Rate = Field(3.0, description="Mean duration of a unit's outage, hours.")
    axis_per_week: Rate = Field(0.1, description="Outages of the exchange axis (LGSP or national) per week.")
    axis_hours: Rate = Field(2.0, description="Mean duration of an axis outage, hours.")
    retry_minutes: Minutes = Field(15.0, description="The axis retries a held message every this many minutes.")


class Transit(Strict):
    axis_minutes: Rate = Field(2.0, description="Mean latency through the exchange axis.")
    email_minutes: Rate = Field(10.0, description="Mean latency of official e-mail.")
    hand_minutes: Rate = Field(30.0, description="Hand delivery inside a unit.")
    post_base_days: Rate = Field(1.0, description="Public postal service, any distance.")
    post_km_per_day: Annotated[float, Field(gt=0)] = Field(120.0, description="Road distance covered per extra day.")
    mountain_extra_days: Rate = Field(1.0, description="Extra days to mountain districts.")
    high_mountain_extra_days: Rate = Field(2.0, description="Extra days to high-mountain districts (Kỳ Sơn, Tương Dương).")


class ServiceTimes(Strict):
    """Mean working minutes per task (lognormal with coefficient of variation ``cv``)."""

    draft: Minutes = 60.0
    approve_sign: Minutes = 10.0
    dispatch_electronic: Minutes = 4.0
    dispatch_paper: Minutes = 12.0
    scan_per_page: Minutes = 1.0
    register_electronic: Minutes = 4.0
    register_paper: Minutes = 8.0
    assign: Minutes = 4.0
    handle: Minutes = 120.0
    cv: Annotated[float, Field(ge=0.0, le=3.0)] = 0.6
    handle_wait_days: Rate = Field(2.0, description="Mean working days a file waits on the specialist's desk "
                                                   "among other duties before it is handled (not staff time).")
    handle_due_working_days: Annotated[int, Field(ge=1)] = 7
    urgent_due_working_days: Annotated[int, Field(ge=1)] = 1


class StaffingOverride(Strict):
    clerks: Annotated[int, Field(ge=1)] | None = None
    leaders: Annotated[int, Field(ge=1)] | None = None
    specialists: Annotated[int, Field(ge=1)] | None = None


class Costs(Strict):
    """Unit costs in VND."""

    paper_per_page: Rate = 200.0
    print_per_page: Rate = 500.0
    postage_per_item: Rate = 12000.0
    postage_per_100km: Rate = 3000.0
    staff_hour: Rate = 60000.0


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
