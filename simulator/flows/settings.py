"""The parts of a scenario: volumes, adoption and equipment, outages, transit, service times, costs.

Split from :mod:`~simulator.flows.scenario` (which re-exports every name):
each class is one group of a scenario file's settings, validated with
pydantic; every field has a default with the reason for it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.i18n import translator

_ = translator("flows")

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Rate = Annotated[float, Field(ge=0.0)]
Minutes = Annotated[float, Field(gt=0.0)]

LEVEL_KEYS = ("central", "committee", "department", "district", "commune")


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
    training: Share = Field(0.0, description="Staff trained in electronic working (the plan's training courses): a "
                                             "trained drafter sends electronically only and signs digitally "
                                             "wherever the causes allow; the untrained follow the habits above.")


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
