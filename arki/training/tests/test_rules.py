"""The qualification and refresher rules, as examples and as properties (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from arki.training import rules

REQ = {
    rules.DISCUSSION: {"prep", "theory", "practice"},
    rules.NETWORK_MEETING: {"network"},
    rules.TRAINER: {"trainer"},
}
D = date(2025, 3, 1)


def test_twelve_hours_give_the_discussion_qualification_only():
    done = {"prep": D, "theory": D + timedelta(days=1), "practice": D + timedelta(days=20)}
    assert rules.qualifications_earned(completed=done, requirements=REQ) == {
        rules.DISCUSSION: D + timedelta(days=20)
    }


def test_missing_practice_gives_nothing():
    done = {"prep": D, "theory": D, "network": D}
    assert rules.qualifications_earned(completed=done, requirements=REQ) == {}


def test_eighteen_hours_give_both():
    done = {"prep": D, "theory": D, "practice": D, "network": D + timedelta(days=2)}
    assert rules.qualifications_earned(completed=done, requirements=REQ) == {
        rules.DISCUSSION: D,
        rules.NETWORK_MEETING: D + timedelta(days=2),
    }


def test_network_module_added_later_on_top_of_a_held_discussion_qualification():
    later = date(2026, 9, 1)
    earned = rules.qualifications_earned(
        completed={"network": later}, requirements=REQ, held={rules.DISCUSSION: D}
    )
    assert earned == {rules.DISCUSSION: D, rules.NETWORK_MEETING: later}


def test_network_module_without_the_discussion_course_gives_nothing():
    assert rules.qualifications_earned(completed={"network": D}, requirements=REQ) == {}


def test_trainer_needs_both_and_the_trainer_training():
    only_discussion = {"prep": D, "theory": D, "practice": D, "trainer": D}
    assert rules.TRAINER not in rules.qualifications_earned(
        completed=only_discussion, requirements=REQ
    )
    everything = {**only_discussion, "network": D}
    assert rules.qualifications_earned(completed=everything, requirements=REQ)[rules.TRAINER] == D


def test_a_qualification_without_modules_cannot_be_earned():
    assert rules.qualifications_earned(completed={}, requirements={}) == {}


def test_refresher_due_two_years_after_the_latest_of_qualification_and_refresher():
    assert rules.refresher_due_on(
        qualified_on=[date(2023, 5, 10)], refreshers=[], interval_months=24
    ) == date(2025, 5, 10)
    assert rules.refresher_due_on(
        qualified_on=[date(2023, 5, 10)], refreshers=[date(2024, 1, 31)], interval_months=24
    ) == date(2026, 1, 31)
    assert rules.refresher_due_on(qualified_on=[], refreshers=[D], interval_months=24) is None


def test_add_months_clamps_to_the_end_of_the_month():
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_refresher_status():
    due = date(2026, 6, 1)
    assert rules.refresher_status(due, date(2026, 1, 1)) == "ok"
    assert rules.refresher_status(due, date(2026, 5, 1)) == "due_soon"
    assert rules.refresher_status(due, due) == "due"
    assert rules.refresher_status(None, due) == "none"


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
modules = st.sampled_from(["prep", "theory", "practice", "network", "trainer"])
completions = st.dictionaries(modules, dates)
held_kinds = st.dictionaries(st.sampled_from(list(rules.QUALIFICATION_CHAIN)), dates, max_size=1)


@settings(deadline=None)
@given(completions, held_kinds)
def test_each_qualification_needs_the_previous_one(done, held):
    earned = rules.qualifications_earned(completed=done, requirements=REQ, held=held)
    chain = rules.QUALIFICATION_CHAIN
    for index, kind in enumerate(chain[1:], start=1):
        if kind in earned and kind not in held:
            assert chain[index - 1] in earned


@settings(deadline=None)
@given(completions)
def test_earned_exactly_when_the_modules_are_done(done):
    earned = rules.qualifications_earned(completed=done, requirements=REQ)
    has_discussion = REQ[rules.DISCUSSION] <= done.keys()
    assert (rules.DISCUSSION in earned) == has_discussion
    # Each step counts only from the day the step below began.
    has_network = (
        has_discussion
        and "network" in done
        and done["network"] >= min(done[m] for m in REQ[rules.DISCUSSION])
    )
    assert (rules.NETWORK_MEETING in earned) == has_network
    assert (rules.TRAINER in earned) == (
        has_network and "trainer" in done and done["trainer"] >= done["network"]
    )


@settings(deadline=None)
@given(completions, held_kinds)
def test_earned_dates_are_never_before_the_modules_or_the_previous_step(done, held):
    earned = rules.qualifications_earned(completed=done, requirements=REQ, held=held)
    previous = None
    for kind in rules.QUALIFICATION_CHAIN:
        if kind not in earned:
            previous = None
            continue
        if kind in held:
            assert earned[kind] == held[kind]
        else:
            assert all(earned[kind] >= done[m] for m in REQ[kind])
            if previous is not None:
                assert earned[kind] >= previous
        previous = earned[kind]


@settings(deadline=None)
@given(completions, st.sampled_from(["prep", "theory", "practice", "network", "trainer"]), dates)
def test_completing_more_never_takes_a_qualification_away(done, extra, day):
    before = rules.qualifications_earned(completed=done, requirements=REQ)
    after = rules.qualifications_earned(completed={extra: day, **done}, requirements=REQ)
    assert before.keys() <= after.keys()


@settings(deadline=None)
@given(st.lists(dates, min_size=1, max_size=4), st.lists(dates, max_size=4), st.integers(1, 120))
def test_refresher_due_date_follows_the_latest_event(qualified, refreshers, months):
    due = rules.refresher_due_on(
        qualified_on=qualified, refreshers=refreshers, interval_months=months
    )
    latest = max(qualified + refreshers)
    assert due is not None
    assert due > latest
    assert due == rules.add_months(latest, months)
    # roughly `months` months later: never more than a month off a 30.5-day month
    assert abs((due - latest).days - months * 30.44) <= 4 + months * 0.1


def test_the_network_module_before_the_basic_course_gives_no_qualification():
    done = {
        "network": D - timedelta(days=30),
        "prep": D,
        "theory": D,
        "practice": D + timedelta(days=5),
    }
    assert rules.qualifications_earned(completed=done, requirements=REQ) == {
        rules.DISCUSSION: D + timedelta(days=5)
    }
    # Nor on top of a discussion qualification held (imported) from a later date.
    held = {rules.DISCUSSION: D}
    assert rules.qualifications_earned(
        completed={"network": D - timedelta(days=1)}, requirements=REQ, held=held
    ) == {rules.DISCUSSION: D}


def test_the_network_module_during_the_basic_course_counts():
    # One 18-hour training: the network module on day 2, practice signed off on day 5.
    done = {
        "prep": D,
        "theory": D,
        "network": D + timedelta(days=1),
        "practice": D + timedelta(days=4),
    }
    assert rules.qualifications_earned(completed=done, requirements=REQ) == {
        rules.DISCUSSION: D + timedelta(days=4),
        rules.NETWORK_MEETING: D + timedelta(days=4),
    }


@given(
    st.dictionaries(
        st.sampled_from(["prep", "theory", "practice", "network", "trainer"]),
        st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)),
    )
)
@settings(max_examples=300, deadline=None)
def test_no_step_counts_modules_completed_before_the_step_below_began(done):
    earned = rules.qualifications_earned(completed=done, requirements=REQ)
    if rules.NETWORK_MEETING in earned:
        assert done["network"] >= min(done[k] for k in REQ[rules.DISCUSSION])
    if rules.TRAINER in earned:
        assert done["trainer"] >= done["network"]
