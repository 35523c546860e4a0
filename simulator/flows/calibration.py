"""Calibration: fit the behaviour parameters so that a scenario reproduces its column of the plan's table.

What is fitted are behaviours (staff habits, the portal and archive practice:
``scenario.calibration.parameters``); what is in place (equipment, rows IV)
and the rules are inputs. The procedure, in the order it runs:

1. **Evaluate.** Run ``replications`` replications of ``days`` days from the
   root seed ``seed`` and take each row's mean. Every evaluation uses the
   same seeds (common random numbers), so two evaluations differ by the
   parameters' effect, not by noise.
2. **Sensitivities.** Move each parameter by 0.1 (down when that would pass
   1, or its group's sum past 1) and evaluate: one column of the Jacobian per parameter (forward
   differences). Each habit multiplies a share that the causes leave open,
   so the rows are close to linear in the parameters.
3. **Step.** Weighted least squares ``min Σ w_r (y_r + J·Δ − t_r)²`` with
   every parameter in [0, 1] and ``electronic + electronic_with_paper ≤ 1``
   per group (an active set: a parameter past a bound is fixed at it and the
   others are solved again; a violated sum is enforced as an equality).
   The weights come from the scenario: a row the scenario reads as
   inconsistent with another (II.1 against II.3 in 2018) gets a smaller one.
4. **Check.** Evaluate at the new values, correct the Jacobian with what the
   step showed (Broyden's update), repeat 3-4 (``iterations`` times) and
   keep the best weighted fit.

The result lists every row before and after, with its target, weight and
whether it is within ``tolerance``, and the fitted values.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from simulator.flows.indicators import PLAN_ROWS, PLAN_YEARS
from simulator.flows.replications import run_replications
from simulator.flows.scenario import Scenario

STEP = 0.1
# Rows fitted: the shares of sections I-III (section IV counts equipment, an input).
FITTED_ROWS = tuple(row[0] for row in PLAN_ROWS if not row[0].startswith("IV."))
PAIRS = (("adoption.internal.electronic", "adoption.internal.electronic_with_paper"),
         ("adoption.interagency.electronic", "adoption.interagency.electronic_with_paper"),
         ("adoption.citizens.electronic", "adoption.citizens.electronic_with_paper"))


def get_setting(scenario: Scenario, path: str) -> float:
    """The value of a dotted setting (``adoption.internal.electronic``)."""
    node = scenario.model_dump()
    for part in path.split("."):
        node = node[part]
    return float(node)


@dataclass(frozen=True)
class FittedRow:
    id: str
    target: float
    weight: float
    before: float
    after: float
    tolerance: float

    @property
    def within(self) -> bool:
        return not math.isnan(self.after) and abs(self.after - self.target) <= self.tolerance + 1e-12


@dataclass
class Calibration:
    scenario: Scenario                 # the scenario as given
    fitted: Scenario                   # with the fitted values
    values: dict[str, tuple[float, float]]   # parameter -> (before, after)
    rows: list[FittedRow]
    evaluations: int
    seconds: float
    history: list[float] = field(default_factory=list)   # weighted squared error per evaluated point

    def changes(self) -> dict[str, float]:
        """The fitted values as dotted settings (for ``Scenario.override``)."""
        return {k: after for k, (_before, after) in self.values.items()}


def _evaluate(scenario: Scenario, theta: np.ndarray, params: list[str], rows: tuple[str, ...], workers: int,
              scheduler, progress: Callable | None) -> np.ndarray:
    c = scenario.calibration
    sc = scenario.override({p: float(round(v, 6)) for p, v in zip(params, theta)})
    results = run_replications(sc, c.replications, c.seed, workers, scheduler, days=c.days)
    if progress:
        progress()
    return np.array([np.nanmean(results.values(r)) if not all(map(math.isnan, results.values(r))) else math.nan
                     for r in rows])


def _upper_bounds(scenario: Scenario, params: list[str]) -> np.ndarray:
    """1, or 1 minus the partner's value when a pair's partner is not fitted (the pair sums to at most 1)."""
    upper = np.ones(len(params))
    for a, b in PAIRS:
        for mine, other in ((a, b), (b, a)):
            if mine in params and other not in params:
                upper[params.index(mine)] = 1.0 - get_setting(scenario, other)
    return upper


def _solve(J: np.ndarray, residual: np.ndarray, w: np.ndarray, theta0: np.ndarray, params: list[str],
           upper: np.ndarray) -> np.ndarray:
    """Bounded weighted least squares for the step (active set), with the pairs' sum at most 1."""
    n = len(theta0)
    fixed: dict[int, float] = {}
    equal_pairs: list[tuple[int, int]] = []
    sw = np.sqrt(w)
    index = {p: i for i, p in enumerate(params)}
    pairs = [(index[a], index[b]) for a, b in PAIRS if a in index and b in index]
    theta = theta0.copy()
    for _ in range(2 * n + 4):
        free = [j for j in range(n) if j not in fixed]
        delta_fixed = np.zeros(n)
        for j, v in fixed.items():
            delta_fixed[j] = v - theta0[j]
        A = sw[:, None] * J[:, free]
        b = sw * (residual - J @ delta_fixed)
        extra_A, extra_b = [], []
        for a, c in equal_pairs:   # enforce theta_a + theta_c = 1 (heavy weight)
            row = np.zeros(len(free))
            rhs = 1.0 - theta0[a] - theta0[c] - delta_fixed[a] - delta_fixed[c]
            for j in (a, c):
                if j in free:
                    row[free.index(j)] = 1e3
            extra_A.append(row)
            extra_b.append(1e3 * rhs)
        if extra_A:
            A = np.vstack([A, np.array(extra_A)])
            b = np.concatenate([b, np.array(extra_b)])
        # a small ridge keeps parameters no row responds to where they are
        A = np.vstack([A, 1e-3 * np.eye(len(free))])
        b = np.concatenate([b, np.zeros(len(free))])
        step = np.linalg.lstsq(A, b, rcond=None)[0] if free else np.zeros(0)
        theta = theta0 + delta_fixed
        theta[free] += step
        out = [j for j in free if theta[j] < -1e-9 or theta[j] > upper[j] + 1e-9]
        if out:
            j = max(out, key=lambda k: max(-theta[k], theta[k] - upper[k]))
            fixed[j] = 0.0 if theta[j] < 0 else float(upper[j])
            continue
        over = [(a, c) for a, c in pairs if theta[a] + theta[c] > 1 + 1e-9 and (a, c) not in equal_pairs]
        if over:
            equal_pairs.append(over[0])
            continue
        break
    theta = np.clip(theta, 0.0, upper)
    for a, c in pairs:   # the equality is enforced by weight: trim what is left over
        excess = theta[a] + theta[c] - 1.0
        if excess > 0:
            theta[c] = max(0.0, theta[c] - excess)
    return theta


def calibrate(scenario: Scenario, *, workers: int = 1, scheduler=None,
              progress: Callable | None = None) -> Calibration:
    """Fit ``scenario.calibration.parameters`` to the plan's column for ``scenario.plan_year``."""
    started = time.perf_counter()
    c = scenario.calibration
    params = list(c.parameters)
    year = PLAN_YEARS.index(scenario.plan_year)
    targets = np.array([c.targets.get(rid, next(row[4][year] for row in PLAN_ROWS if row[0] == rid))
                        for rid in FITTED_ROWS])
    weights = np.array([c.weights.get(rid, 1.0) for rid in FITTED_ROWS])
    theta0 = np.array([get_setting(scenario, p) for p in params])
    evaluations = 0

    def evaluate(theta):
        nonlocal evaluations
        evaluations += 1
        return _evaluate(scenario, theta, params, FITTED_ROWS, workers, scheduler, progress)

    y0 = evaluate(theta0)
    w = np.where(np.isnan(y0), 0.0, weights)     # a row with no documents in this world is left out
    J = np.zeros((len(FITTED_ROWS), len(params)))
    partner = {i: k for a, b in PAIRS if a in params and b in params
               for i, k in ((params.index(a), params.index(b)), (params.index(b), params.index(a)))}
    upper = _upper_bounds(scenario, params)
    for j in range(len(params)):
        room = upper[j] - theta0[j] - (theta0[partner[j]] if j in partner else 0.0)
        h = -STEP if room < STEP else STEP
        theta = theta0.copy()
        theta[j] += h
        J[:, j] = np.nan_to_num((evaluate(theta) - y0) / h)

    def loss(y):
        return float(np.nansum(w * (y - targets) ** 2))

    best_theta, best_y = theta0, y0
    history = [loss(y0)]
    theta, y = theta0, y0
    for _ in range(c.iterations):
        residual = np.nan_to_num(targets - y)
        new_theta = _solve(J, residual, w, theta, params, upper)
        new_y = evaluate(new_theta)
        # Broyden's update: the Jacobian learns what the step showed (rows are nearly, not exactly, linear)
        d_theta, d_y = new_theta - theta, np.nan_to_num(new_y - y)
        if float(d_theta @ d_theta) > 1e-12:
            J += np.outer(d_y - J @ d_theta, d_theta) / float(d_theta @ d_theta)
        theta, y = new_theta, new_y
        history.append(loss(y))
        if history[-1] < loss(best_y):
            best_theta, best_y = theta, y
    best_theta = np.floor(best_theta * 1e4) / 1e4   # 4 decimals, rounded down: a pair never passes 100%
    values = {p: (float(a), float(b)) for p, a, b in zip(params, theta0, best_theta)}
    fitted = scenario.override({p: float(v) for p, v in zip(params, best_theta)})
    rows = [FittedRow(rid, float(t), float(wt), float(b), float(a), c.tolerance)
            for rid, t, wt, b, a in zip(FITTED_ROWS, targets, weights, y0, best_y)]
    return Calibration(scenario, fitted, values, rows, evaluations, time.perf_counter() - started, history)


def carry_over(cal: Calibration, other: Scenario) -> Scenario:
    """``other`` (e.g. the plan's 2019 investments) with the habits fitted here."""
    return other.override(cal.changes())


def calibration_report(cal: Calibration, check=None) -> "Report":
    """The calibration as a report: procedure, every row before and after, the fitted values.

    ``check`` is an optional ``(scenario, results)`` pair: the calibrated habits under another year's
    investments, compared with that year's column (which is the plan's forecast, not data)."""
    from simulator.flows.indicators import label, verdict_text
    from simulator.flows.report import Report, _local, num, pct, target_text
    from simulator.i18n import translator

    _ = translator("flows")
    sc, c = cal.scenario, cal.scenario.calibration
    report = Report(_("Calibration: {name}", name=sc.name))
    report.para(_("Fitted to the {year} column of plan 338/KH-UBND: {n} evaluations of {reps} replications of "
                  "{days} days from root seed {seed} (common random numbers), {seconds:.0f} s.", year=sc.plan_year,
                  n=cal.evaluations, reps=c.replications, days=c.days, seed=c.seed, seconds=cal.seconds))
    report.para(_("Procedure: evaluate the rows at the scenario's values; move each parameter by 0.1 and evaluate "
                  "again (the sensitivities); take the weighted least-squares step with every parameter in [0, 1] "
                  "and electronic plus paper-copy habits at most 100%; evaluate, repeat the step, keep the best fit. "
                  "Equipment (IV) and the rules are inputs and are not fitted."))
    report.heading(_("Rows before and after"))
    head = [_("No."), _("Indicator"), _("Column"), _("Weight"), _("Before"), _("After"), _("Within ±{tol}",
                                                                                         tol=pct(c.tolerance))]
    report.table(head, [[r.id, label(r.id), pct(r.target), _local(f"{r.weight:g}"), pct(r.before), pct(r.after),
                         (_("yes") if r.within else _("no")) if r.weight > 0 else _("not fitted")]
                        for r in cal.rows])
    report.heading(_("Fitted values"))
    report.table([_("Setting"), _("Before"), _("After")],
                 [[k, num(a, 4), num(b, 4)] for k, (a, b) in cal.values.items()])
    if sc.readings:
        report.heading(_("How this scenario reads the plan's table"))
        report.table([_("Rows"), _("Reading")], [[k, " ".join(sc.localised(v).split())] for k, v in sc.readings.items()])
    if check is not None:
        other, results = check
        report.heading(_("The calibrated habits under {name}", name=other.name))
        report.para(_("The {year} column is the plan's forecast, written in 2018: targets, not measurements. This "
                      "table says what the habits fitted to 2018 give with that year's investments and rules; where "
                      "it falls short, the plan assumed a change of habit that the investments alone do not bring.",
                      year=other.plan_year))
        report.table([_("No."), _("Indicator"), _("Target"), _("Simulated"), _("95% interval"), _("Assessment")],
                     [[r.id, r.label, target_text(r.direction, r.target), pct(r.value),
                       f"{pct(r.low)} – {pct(r.high)}", verdict_text(r.verdict)] for r in results.indicators()])
    return report
