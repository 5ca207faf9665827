"""Network meetings of the demo county, in every state, made through the meetings services.

Who does what: the ``socialworker`` chairs most meetings, the ``nurse`` one; the ``worker``
(the child's ECEC teacher) is invited as a professional, so both see the meetings from the
child's page and their home page. The family's decisions (approving invitees, consent,
accepting proposals) are made by a guardian acting as in the portal, or recorded by the chair
"in the meeting", exactly as the services allow.

The services refuse times in the past, so a meeting that has already been held is scheduled
in the future, invited, and then moved back to its real (past) time with a plain update of its
time columns (and the invitations' sent and answered times with it): the only raw writes
here. Everything else, and every audit event, comes from
the services.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from arki.accounts.models import User
from arki.discussions.models import Discussion, Outcome
from arki.meetings import reports
from arki.meetings import services as meetings
from arki.meetings.models import (
    ConsentChannel,
    ConsentScope,
    Invitee,
    InviteeKind,
    NetworkMeeting,
    Phase,
    Response,
)
from arki.organisations.models import Tenant
from arki.people.models import Child, Guardian

from .common import at, staff

IN_MEETING = ConsentChannel.IN_MEETING
PORTAL = ConsentChannel.PORTAL


def _workday(days: int) -> date:
    """The day ``days`` from today, moved off a weekend (later for the future, earlier for
    the past): network meetings are held on working days."""
    day = timezone.localdate() + timedelta(days=days)
    step = timedelta(days=1 if days >= 0 else -1)
    while day.weekday() >= 5:
        day += step
    return day


def _children(tenant: Tenant, worker: User, count: int) -> list[tuple[Child, Discussion | None]]:
    """Children for the meetings, with the LT discussion (held) that led to each: the
    ``worker``'s own first, those that ended with "a network meeting is needed" before the
    others; only children with a guardian."""
    ranked: list[tuple[int, str, Child, Discussion | None]] = []
    discussions = (
        Discussion.objects.filter(child__tenant=tenant, sessions__isnull=False)
        .distinct()
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "created_at")
    )
    seen: set[Any] = set()
    for d in discussions:
        if d.child_id in seen or not d.child.guardianships.exists():
            continue
        seen.add(d.child_id)
        mine = d.lead_id == worker.pk
        needed = d.outcome == Outcome.NETWORK_MEETING_NEEDED
        rank = (0 if mine else 2) + (0 if needed else 1)
        ranked.append((rank, d.child.full_name, d.child, d))
    ranked.sort(key=lambda r: (r[0], r[1]))
    picked = [(child, d) for _r, _n, child, d in ranked[:count]]
    if len(picked) < count:  # a very small demo: any child with a guardian
        more = (
            Child.objects.filter(tenant=tenant, guardianships__isnull=False)
            .exclude(pk__in=[c.pk for c, _d in picked])
            .distinct()
            .order_by("last_name", "first_name")
        )
        picked += [(child, None) for child in more[: count - len(picked)]]
    return picked


def _guardian(child: Child) -> Guardian:
    return child.guardianships.select_related("guardian").order_by("created_at").first().guardian  # type: ignore[union-attr]


def _invite_team(
    meeting: NetworkMeeting, chair: User, worker: User, others: list[User]
) -> list[Invitee]:
    """The child's ECEC teacher, other professionals, and someone from the family's network."""
    invitees = [
        meetings.invitee_add(
            actor=chair,
            meeting=meeting,
            kind=InviteeKind.PROFESSIONAL,
            user=worker,
            role_label="varhaiskasvatuksen opettaja",
            expected_contribution="Kertoo, miten päivät päiväkodissa sujuvat ja mikä auttaa.",
        )
    ]
    for other in others:
        invitees.append(
            meetings.invitee_add(
                actor=chair,
                meeting=meeting,
                kind=InviteeKind.PROFESSIONAL,
                user=other,
                role_label=_title(other),
                expected_contribution="Tuo oman palvelunsa tuen perheen arkeen.",
            )
        )
    network_person = meeting.child.network.exclude(email="").first()
    if network_person is not None and network_person.email:
        invitees.append(
            meetings.invitee_add(
                actor=chair,
                meeting=meeting,
                kind=InviteeKind.NETWORK_PERSON,
                network_person=network_person,
            )
        )
    else:
        invitees.append(
            meetings.invitee_add(
                actor=chair,
                meeting=meeting,
                kind=InviteeKind.NETWORK_PERSON,
                name="Raili Isomummo",
                email=f"raili.{str(meeting.pk)[:8]}@example.fi",
                role_label="isoäiti",
                expected_contribution="Voi hakea lapsen päiväkodista kahtena päivänä viikossa.",
                required=False,
            )
        )
    return invitees


ROLE_LABELS = {"nurse": "terveydenhoitaja", "socialworker": "sosiaalityöntekijä"}


def _title(user: User) -> str:
    membership = user.memberships.select_related("unit").first()
    unit = membership.unit.name if membership is not None and membership.unit else ""
    label = ROLE_LABELS.get(user.username, "")
    return f"{label}, {unit}" if label and unit else label or unit


def _family_approves(guardian: Guardian, invitees: list[Invitee], *, report: bool) -> None:
    """The guardian approves everyone in the portal and consents to what each may know."""
    for invitee in invitees:
        meetings.invitee_approve(actor=guardian, invitee=invitee, approved=True, channel="portal")
        scopes = [ConsentScope.ATTEND, ConsentScope.ACTION_PLAN]
        if report and invitee.kind == InviteeKind.PROFESSIONAL:
            scopes.append(ConsentScope.MEETING_REPORT)
        for scope in scopes:
            meetings.consent_give(actor=guardian, invitee=invitee, scope=scope, channel=PORTAL)


def _schedule(meeting: NetworkMeeting, chair: User, starts: datetime, place: str) -> None:
    meetings.meeting_schedule(
        actor=chair,
        meeting=meeting,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        location=place,
    )
    meetings.invitations_send(actor=chair, meeting=meeting)


def _answer(invitee: Invitee, response: str, comment: str = "", proposed: Any = None) -> None:
    invitee.refresh_from_db()
    meetings.invitation_answer(
        actor=invitee,
        invitee=invitee,
        response=response,
        comment=comment,
        proposed_starts_at=proposed,
    )


def _move_to_past(meeting: NetworkMeeting, starts: datetime) -> None:
    """The only raw writes: the meeting took place at ``starts`` (the services refuse past
    times)..."""
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + timedelta(minutes=90)
    )
    # ...and was invited to, and answered, the week before.
    meeting.invitees.filter(invited_at__isnull=False).update(invited_at=starts - timedelta(days=9))
    meeting.invitees.filter(responded_at__isnull=False).update(
        responded_at=starts - timedelta(days=7)
    )
    meeting.refresh_from_db()


NOTES = {
    Phase.OPENING: "Puheenjohtaja kertoi tapaamisen tarkoituksen: sovitaan yhdessä, miten "
    "{child} arkea tuetaan kotona ja päiväkodissa. Kaikki esittäytyivät.",
    Phase.HOPES_WORRIES: "Vanhemmat toivovat rauhallisempia aamuja ja että {child} saisi "
    "ystävän ryhmästä. Huolena on äidin väsymys ja illat, jotka venyvät myöhään.",
    Phase.STRENGTHS: "Päiväkoti: {child} leikkii mielellään pienessä ryhmässä ja kertoo "
    "päivästään. Isoäiti: viikonloput mökillä sujuvat hyvin. Vanhemmat: iltasatu on yhteinen "
    "hetki.",
    Phase.CONCERNS: "Aamut ovat kiireisiä ja lapsi tulee väsyneenä. Vanhempi on uupunut "
    "vuorotyön takia.",
    Phase.PROPOSALS: "Ehdotuksia kirjattiin neljä; perhe päätti jokaisesta itse.",
    Phase.AGREEMENT: "Perhe hyväksyi kolme ehdotusta. Ruutuajan rajaamisesta päätetään myöhemmin.",
    Phase.FOLLOW_UP: "Vastuutyöntekijäksi nimettiin puheenjohtaja. Seurantatapaaminen sovittiin "
    "kuuden viikon päähän.",
}

PROPOSALS = [
    # text, proposed by, owner, due in days, accepted (None: still open)
    ("Isoäiti hakee lapsen päiväkodista tiistaisin ja torstaisin", "isoäiti", "isoäiti", 14, True),
    ("Perheelle haetaan perhetyön tukea kotiin", "sosiaalityöntekijä", "sosiaalityö", 21, True),
    (
        "Päiväkoti kertoo viikoittain, mikä sujui hyvin",
        "varhaiskasvatuksen opettaja",
        "päiväkoti",
        7,
        True,
    ),
    ("Iltaisin ei ruutuja tunti ennen nukkumaanmenoa", "terveydenhoitaja", "vanhemmat", 30, False),
]


def _hold(
    meeting: NetworkMeeting,
    chair: User,
    guardian: Guardian,
    *,
    held: datetime,
    responsible: list[User],
) -> None:
    """Hold the meeting at ``held``: participation, notes per phase, proposals the family
    decides on, the responsible worker."""
    _move_to_past(meeting, held)
    present = [i.pk for i in meeting.invitees.all() if i.response != Response.NO]
    meetings.meeting_hold(
        actor=chair, meeting=meeting, took_part=present, held_at=held + timedelta(minutes=90)
    )
    meeting.refresh_from_db()
    child = meeting.child.first_name
    for phase, text in NOTES.items():
        meetings.phase_note_save(
            actor=chair,
            meeting=meeting,
            phase=phase,
            text=text.format(child=child),
            expected_version=0,
        )
    for text, by, owner, days, accepted in PROPOSALS:
        proposal = meetings.proposal_add(
            actor=chair,
            meeting=meeting,
            text=text,
            proposed_by=by,
            owner=owner,
            due_on=(held + timedelta(days=days)).date(),
        )
        meetings.proposal_decide(
            actor=guardian, proposal=proposal, accepted=accepted, channel=IN_MEETING
        )
    meetings.responsible_workers_name(actor=chair, meeting=meeting, workers=responsible)


def seed(tenant: Tenant) -> int:
    """Make the demo's network meetings once; return how many were made (0 if they exist)."""
    if NetworkMeeting.objects.filter(tenant=tenant).exists():
        return 0
    with transaction.atomic():
        return _seed(tenant)


def _seed(tenant: Tenant) -> int:
    chair, nurse, worker = staff("socialworker"), staff("nurse"), staff("worker")
    adult = (
        User.objects.filter(memberships__unit__tenant=tenant, username__startswith="staff")
        .filter(Q(memberships__unit__name__startswith="Aikuisten"))
        .order_by("username")
        .first()
    )
    others = [nurse] + ([adult] if adult is not None else [])
    picked = _children(tenant, worker, 6)
    place = "Vaasan perhekeskus, neuvotteluhuone Kaisla, Korsholmanpuistikko 44"

    def plan(index: int, by: User, reason: str, topics: str, **kw: Any) -> NetworkMeeting:
        child, discussion = picked[index]
        return meetings.meeting_plan(
            actor=by, child=child, reason=reason, topics=topics, discussion=discussion, **kw
        )

    # 1. Planning: the invitees wait for the family's approval in the portal.
    planning = plan(
        0,
        chair,
        "LP-keskustelussa sovittiin, että tarvitaan lisää tukea aamuihin ja vanhemman jaksamiseen.",
        "Aamujen sujuminen, vanhemman jaksaminen, tuki kotiin",
    )
    _invite_team(planning, chair, worker, others)

    # 2. Scheduled: time and place, invitations sent, some answers in.
    scheduled = plan(
        1,
        chair,
        "Koulunkäynnin ja kodin arjen tueksi tarvitaan useamman palvelun yhteistyötä.",
        "Koulupäivät, kaverisuhteet, harrastus",
    )
    team = _invite_team(scheduled, chair, worker, others)
    guardian = _guardian(scheduled.child)
    _family_approves(guardian, team, report=True)
    _schedule(scheduled, chair, at(_workday(5), time(13)), place)
    family = list(scheduled.invitees.filter(kind=InviteeKind.GUARDIAN))
    _answer(family[0], Response.YES)
    _answer(team[0], Response.YES, comment="Tulen suoraan päiväkodilta.")
    if len(team) > 2:
        _answer(
            team[1],
            Response.PROPOSE,
            comment="Neuvola on auki vain aamupäivisin tällä viikolla.",
            proposed=at(_workday(6), time(9)),
        )

    # 3. Held, reported and corrected; a follow-up agreed.
    held = plan(
        2,
        chair,
        "Perhe toivoi lisää aikuisia tueksi, kun toimintasuunnitelman toteuttaminen on ollut "
        "vaikeaa.",
        "Aamut ja illat, isovanhempien apu, perhetyö",
    )
    team = _invite_team(held, chair, worker, others)
    guardian = _guardian(held.child)
    _family_approves(guardian, team, report=True)
    _schedule(held, chair, at(_workday(1), time(10)), place)
    for invitee in held.invitees.all():
        _answer(invitee, Response.YES)
    _hold(
        held,
        chair,
        guardian,
        held=at(_workday(-3), time(9)),
        responsible=[chair, worker],
    )
    follow_up = meetings.meeting_plan(
        actor=chair,
        child=held.child,
        reason="Seurantatapaaminen: miten sovitut asiat ovat lähteneet liikkeelle.",
        topics="Sovittujen asioiden seuranta",
        previous=held,
        discussion=held.discussion,
    )
    _schedule(follow_up, chair, at(_workday(39), time(14)), place)
    first = reports.report_create(actor=chair, meeting=held)
    reports.report_send(actor=chair, report=first)
    notes = held.phase_notes.get(phase=Phase.FOLLOW_UP)
    meetings.phase_note_save(
        actor=chair,
        meeting=held,
        phase=Phase.FOLLOW_UP,
        text=notes.text.replace(
            "nimettiin puheenjohtaja.",
            "nimettiin puheenjohtaja ja lapsen varhaiskasvatuksen opettaja työparina.",
        ),
        expected_version=notes.version,
    )
    reports.report_create(
        actor=chair,
        meeting=held,
        correction_note="Vastuutyöntekijöiksi nimettiin työpari; ensimmäisessä versiossa vain "
        "puheenjohtaja.",
    )

    # 4. Closed: held two months ago, reported, the network work ended. Chaired by the nurse.
    closed = plan(
        3,
        nurse,
        "Neuvolan terveystarkastuksessa heränneen huolen vuoksi sovittiin yhteinen tapaaminen.",
        "Uni, ruokailu, vanhempien jaksaminen",
    )
    team = _invite_team(closed, nurse, worker, [chair])
    guardian = _guardian(closed.child)
    _family_approves(guardian, team, report=False)
    _schedule(closed, nurse, at(_workday(2), time(12)), place)
    _hold(
        closed,
        nurse,
        guardian,
        held=at(_workday(-62), time(12)),
        responsible=[nurse],
    )
    reports.report_create(actor=nurse, meeting=closed)
    meetings.meeting_close(actor=nurse, meeting=closed)

    # 5. Cancelled: the family asked to cancel after the invitations went out.
    cancelled = plan(
        4,
        chair,
        "Koulun ja kodin yhteistyön tueksi ehdotettiin verkostotapaamista.",
        "Koulupäivien sujuminen",
    )
    team = _invite_team(cancelled, chair, worker, [])
    _family_approves(_guardian(cancelled.child), team, report=False)
    _schedule(cancelled, chair, at(_workday(8), time(15)), place)
    meetings.meeting_cancel(
        actor=chair,
        meeting=cancelled,
        reason="Perhe pyysi perumaan: asiat ovat lähteneet sujumaan LP-keskustelun jälkeen.",
    )
    return NetworkMeeting.objects.filter(tenant=tenant).count()
