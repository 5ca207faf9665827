"""The demo county: a realistic wellbeing services county for trying Arki out.

Deterministic (seeded) and idempotent: if the demo tenant exists, nothing is created again.
Everything about children goes through the real services, so the audit log is realistic too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from faker import Faker

from arki.accounts.models import Membership, Qualification, QualificationKind, Role, User
from arki.directory.services import directory_entry_save
from arki.discussions import services as discussions
from arki.discussions.models import LogbookTemplate, ObservationKind, Outcome, OwnerKind
from arki.feedback.services import feedback_seed_defaults
from arki.organisations.models import Area, Sector, Setting, Tenant, Unit
from arki.people import services as people
from arki.people.models import Guardian, Guardianship, NetworkPerson
from arki.training.services import training_seed_defaults

from . import calendars, meetings, methods, observations, school

PASSWORD = "arki-demo-2026"  # noqa: S105 - the published demo password
TENANT_SLUG = "demo-pohjanmaa"

AREAS = ["Vaasa", "Mustasaari", "Laihia"]
UNITS = [
    # area index, name, sector, setting
    (0, "Päiväkoti Satakieli", Sector.ECEC, Setting.ECEC),
    (0, "Päiväkoti Tuulikello", Sector.ECEC, Setting.ECEC),
    (0, "Daghemmet Solrosen", Sector.ECEC, Setting.ECEC),
    (0, "Onkilahden koulu (1–6)", Sector.SCHOOL, Setting.SCHOOL_1_6),
    (0, "Variskan yhtenäiskoulu (7–9)", Sector.SCHOOL, Setting.SCHOOL_7_9),
    (0, "Vaasan lastenneuvola", Sector.HEALTH, Setting.SERVICES),
    (0, "Vaasan perhekeskus", Sector.FAMILY, Setting.SERVICES),
    (0, "Lapsiperheiden sosiaalityö", Sector.SOCIAL, Setting.SERVICES),
    (0, "Aikuisten mielenterveys- ja päihdepalvelut", Sector.ADULT, Setting.SERVICES),
    (1, "Päiväkoti Sipiläntie", Sector.ECEC, Setting.ECEC),
    (1, "Smedsby skola (1–6)", Sector.SCHOOL, Setting.SCHOOL_1_6),
    (1, "Koivulaakson koulu (7–9)", Sector.SCHOOL, Setting.SCHOOL_7_9),
    (1, "Mustasaaren neuvola", Sector.HEALTH, Setting.SERVICES),
    (1, "MLL Mustasaari (perhekahvila)", Sector.NGO, Setting.SERVICES),
    (2, "Päiväkoti Pikku-Laihia", Sector.ECEC, Setting.ECEC),
    (2, "Laihian keskuskoulu (1–6)", Sector.SCHOOL, Setting.SCHOOL_1_6),
    (2, "Laihian yläkoulu (7–9)", Sector.SCHOOL, Setting.SCHOOL_7_9),
    (2, "Laihian neuvola", Sector.HEALTH, Setting.SERVICES),
    (2, "Laihian seurakunta, perhetyö", Sector.PARISH, Setting.SERVICES),
    (2, "Laihian perheneuvola", Sector.FAMILY, Setting.SERVICES),
]

# username, first, last, unit index, role, qualifications, what to try
ACCOUNTS = [
    (
        "worker",
        "Aino",
        "Laine",
        0,
        Role.WORKER,
        ("discussion",),
        "ECEC teacher: LT discussions in every state, invited to meetings",
    ),
    ("teacher", "Oskari", "Mäkelä", 3, Role.WORKER, ("discussion",), "school teacher, grades 1–6"),
    (
        "socialworker",
        "Helena",
        "Korpi",
        7,
        Role.WORKER,
        ("discussion", "network_meeting"),
        "social worker: chairs network meetings in every state",
    ),
    (
        "nurse",
        "Sanna",
        "Virta",
        5,
        Role.WORKER,
        ("discussion", "network_meeting"),
        "public health nurse: the clinic, a closed network meeting",
    ),
    (
        "manager",
        "Jukka",
        "Heikkilä",
        0,
        Role.UNIT_MANAGER,
        ("discussion",),
        "unit manager: names responsible workers",
    ),
    (
        "coordinator",
        "Maria",
        "Lindholm",
        6,
        Role.COORDINATOR,
        ("discussion", "network_meeting"),
        "LT coordinator: audit log, training, indicators",
    ),
    ("leader", "Pekka", "Salo", None, Role.LEADERSHIP, (), "leadership group: indicators"),
    (
        "trainer",
        "Riikka",
        "Nieminen",
        6,
        Role.WORKER,
        ("discussion", "network_meeting", "trainer"),
        "LT trainer",
    ),
    ("admin", "Ville", "Admin", None, Role.ADMIN, (), "administrator (also Django admin)"),
]
# Made by school.py (with her pupils), listed with the others.
SCHOOL_NURSE = (
    "schoolnurse",
    "school nurse: 600 pupils; the child list pages, searches and filters by discussion state",
)


@dataclass
class Result:
    created: bool
    accounts: list[tuple[str, str, str, str]]


def _accounts_table() -> list[tuple[str, str, str, str]]:
    rows = []
    for username, _f, _l, unit_index, role, _q, what in ACCOUNTS:
        unit = UNITS[unit_index][1] if unit_index is not None else "Pohjanmaa (demo)"
        rows.append((username, str(Role(role).label), unit, what))
    rows.append((SCHOOL_NURSE[0], str(Role.WORKER.label), UNITS[3][1], SCHOOL_NURSE[1]))
    rows.append(
        (
            "outsider",
            str(Role.WORKER.label),
            "Lolland Kommune (demo)",
            "worker in another tenant: sees none of the Finnish children",
        )
    )
    return rows


def load(*, children: int = 300, seed: int = 2026) -> Result:
    """Build the demo county once. A county loaded by an older version gets what it lacks
    (the network meetings, the shared calendar time); each part is made only if it is not
    there yet."""
    tenant = Tenant.objects.filter(slug=TENANT_SLUG).first()
    created = tenant is None
    if tenant is None:
        call_command("load_logbooks", verbosity=0, stdout=_Null())
        with transaction.atomic():
            _build(children=children, seed=seed)
        _seed_other_apps()
        tenant = Tenant.objects.get(slug=TENANT_SLUG)
    school.seed(tenant, pupils=2 * children, password=PASSWORD)
    meetings.seed(tenant)
    calendars.seed(tenant)
    methods.seed(tenant)
    observations.seed(tenant)
    return Result(created=created, accounts=_accounts_table())


class _Null:
    def write(self, *args: Any) -> None:
        pass

    def flush(self) -> None:
        pass


def _build(*, children: int, seed: int) -> None:
    rng = random.Random(seed)
    fake = {"fi": Faker("fi_FI"), "sv": Faker("sv_SE"), "en": Faker("en_GB"), "da": Faker("da_DK")}
    for f in fake.values():
        f.seed_instance(seed)
    password = make_password(PASSWORD)
    tenant = Tenant.objects.create(
        name="Pohjanmaan hyvinvointialue (demo)",
        slug=TENANT_SLUG,
        country="FI",
        default_language="fi",
    )
    areas = [Area.objects.create(tenant=tenant, name=name) for name in AREAS]
    units = [
        Unit.objects.create(tenant=tenant, area=areas[a], name=n, sector=s, setting=st)
        for a, n, s, st in UNITS
    ]

    def staff(username, first, last, unit, role, quals, superuser=False):
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.arki.fi",
            password=password,
            is_staff=superuser,
            is_superuser=superuser,
        )
        Membership.objects.create(user=user, tenant=tenant, unit=unit, role=role)
        for kind in quals:
            Qualification.objects.create(
                user=user,
                kind=kind,
                completed_on=date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
            )
        return user

    named = {}
    for username, first, last, unit_index, role, account_quals, _what in ACCOUNTS:
        unit = units[unit_index] if unit_index is not None else None
        named[username] = staff(
            username, first, last, unit, role, account_quals, superuser=username == "admin"
        )
    workers_by_unit: dict[int, list[User]] = {}
    for username, _f, _l, unit_index, role, _q, _w in ACCOUNTS:
        if unit_index is not None and role in (Role.WORKER, Role.UNIT_MANAGER):
            workers_by_unit.setdefault(unit_index, []).append(named[username])
    # More staff, so every unit has people and the county has about 40.
    for i in range(31):
        unit_index = i % len(units)
        sector = UNITS[unit_index][2]
        quals: list[str] = ["discussion"] if rng.random() < 0.8 else []
        if sector in (Sector.SOCIAL, Sector.HEALTH, Sector.FAMILY, Sector.ADULT) and quals:
            quals.append("network_meeting")
        user = staff(
            f"staff{i + 1:02d}",
            fake["fi"].first_name(),
            fake["fi"].last_name(),
            units[unit_index],
            Role.WORKER,
            quals,
        )
        workers_by_unit.setdefault(unit_index, []).append(user)

    # A second, Danish tenant with one worker: the outsider.
    lolland = Tenant.objects.create(
        name="Lolland Kommune (demo)", slug="demo-lolland", country="DK", default_language="da"
    )
    nakskov = Area.objects.create(tenant=lolland, name="Nakskov")
    dk_unit = Unit.objects.create(
        tenant=lolland,
        area=nakskov,
        name="Børnehuset Solsikken",
        sector=Sector.ECEC,
        setting=Setting.ECEC,
    )
    outsider = User.objects.create(
        username="outsider",
        first_name="Mette",
        last_name="Hansen",
        email="outsider@demo.arki.dk",
        password=password,
    )
    Membership.objects.create(user=outsider, tenant=lolland, unit=dk_unit, role=Role.WORKER)
    Qualification.objects.create(
        user=outsider, kind=QualificationKind.DISCUSSION, completed_on=date(2025, 3, 1)
    )

    templates = list(LogbookTemplate.objects.filter(tenant__isnull=True))
    today = timezone.localdate()
    for n in range(children):
        language = rng.choices(["fi", "sv", "en", "da"], weights=[78, 15, 5, 2])[0]
        f = fake[language]
        unit_index = _unit_for(n, rng)
        unit = units[unit_index]
        age_days = _age_for(unit.setting, rng)
        birth = today - timedelta(days=age_days) if age_days >= 0 else None
        expected = today + timedelta(days=-age_days) if age_days < 0 else None
        last_name = f.last_name()
        candidates = [
            w for w in workers_by_unit.get(unit_index, []) if w.has_qualification("discussion")
        ]
        worker = (
            named["worker"]
            if unit_index == 0 and n % 3 == 0
            else (rng.choice(candidates) if candidates else None)
        )
        if worker is None:
            continue
        worker.current_membership = worker.memberships.first()
        child = people.child_create(
            actor=worker,
            first_name=f.first_name(),
            last_name=last_name,
            birth_date=birth,
            expected_date=expected,
            preferred_language=language,
            unit=unit,
        )
        for g in range(1 if rng.random() < 0.25 else 2):
            guardian = Guardian.objects.create(
                tenant=tenant,
                # The mother first, then the father: names that fit the relation.
                first_name=f.first_name_female() if g == 0 else f.first_name_male(),
                last_name=last_name,
                email=f"{f.user_name()}{n}{g}@example.fi",
                phone=f.phone_number()[:40],
                preferred_language=language,
            )
            Guardianship.objects.create(
                child=child, guardian=guardian, relation=["mother", "father", "guardian"][g % 3]
            )
        if rng.random() < 0.3:
            NetworkPerson.objects.create(
                child=child,
                name=f.name(),
                relation=rng.choice(["isovanhempi", "valmentaja", "naapuri", "kummi"]),
                preferred_language=language,
            )
        if rng.random() < 0.55:
            _discussion(child, unit, worker, templates, rng, today, n)


def _unit_for(n: int, rng: random.Random) -> int:
    if n % 3 == 0:
        return 0
    return rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19])


def _age_for(setting: str, rng: random.Random) -> int:
    if setting == Setting.ECEC:
        return rng.randint(365, 6 * 365)
    if setting == Setting.SCHOOL_1_6:
        return rng.randint(7 * 365, 12 * 365)
    if setting == Setting.SCHOOL_7_9:
        return rng.randint(13 * 365, 15 * 365)
    return rng.choice([rng.randint(-200, -20), rng.randint(0, 17 * 365)])


STRENGTHS = [
    "Iltarutiinit sujuvat",
    "Lapsella on hyvä ystävä",
    "Isovanhemmat auttavat",
    "Lapsi nauttii liikunnasta",
    "Yhteiset ruokailut",
    "Lapsi kertoo päivästään",
]
VULNERABILITIES = [
    "Aamut ovat kiireisiä",
    "Ruutuaikaa on paljon",
    "Vanhemman väsymys",
    "Riitoja sisarusten kesken",
    "Uni jää lyhyeksi",
    "Yksinäisyys välitunneilla",
]
ACTIONS = [
    "Sovitaan yhteinen iltarutiini",
    "Luetaan iltasatu joka ilta",
    "Varhaiskasvatus kertoo viikoittain, mikä sujui",
    "Haetaan harrastus yhdessä",
    "Vanhempi varaa ajan perheneuvolaan",
    "Lapsi saa valita viikonlopun retken",
]


def _discussion(child, unit, worker, templates, rng, today, n) -> None:
    template = (
        discussions.suggest_template(
            tenant_id=child.tenant_id, unit=unit, child=child, language=child.preferred_language
        )
        or templates[0]
    )
    offered = today - timedelta(days=rng.randint(5, 330))
    d = discussions.discussion_offer(
        actor=worker, child=child, unit=unit, template=template, offered_on=offered
    )
    state = n % 6
    if state == 0:
        return  # offered, waiting for the family's answer
    if state == 1:
        discussions.discussion_decline(
            actor=worker,
            discussion=d,
            responded_on=offered + timedelta(days=3),
            reason="Perhe kokee, ettei tarvetta juuri nyt.",
        )
        return
    discussions.discussion_accept(
        actor=worker, discussion=d, responded_on=offered + timedelta(days=2)
    )
    held = min(offered + timedelta(days=rng.randint(7, 20)), today)
    discussions.session_add(
        actor=worker,
        discussion=d,
        held_on=held,
        participants="äiti, isä, " + worker.get_full_name(),
        child_took_part=template.child_present,
    )
    sections = list(template.sections.all())
    found = []
    for section in sections[:3]:
        found.append(
            discussions.observation_add(
                actor=worker,
                discussion=d,
                section_id=section.pk,
                kind=ObservationKind.STRENGTH,
                text=rng.choice(STRENGTHS),
            )
        )
        if rng.random() < 0.7:
            found.append(
                discussions.observation_add(
                    actor=worker,
                    discussion=d,
                    section_id=section.pk,
                    kind=ObservationKind.VULNERABILITY,
                    text=rng.choice(VULNERABILITIES),
                )
            )
    discussions.note_save(
        actor=worker,
        discussion=d,
        section_id=sections[0].pk,
        text="Perhe kertoi arjen sujuvan pääosin hyvin.",
    )
    for i in range(rng.randint(1, 3)):
        discussions.action_add(
            actor=worker,
            discussion=d,
            what=rng.choice(ACTIONS),
            owner_kind=rng.choice([OwnerKind.PARENT, OwnerKind.WORKER, OwnerKind.CHILD]),
            serves=found[i % len(found)],
            due_on=held + timedelta(days=30),
            review_on=held + timedelta(days=45),
        )
    if state == 2:
        return  # accepted and in progress
    d.refresh_from_db()
    outcome = {
        3: Outcome.PLAN_MADE,
        4: Outcome.NETWORK_MEETING_NEEDED,
        5: Outcome.NO_FURTHER_ACTION,
    }[state]
    discussions.discussion_close(
        actor=worker,
        discussion=d,
        expected_version=d.version,
        outcome=outcome,
        agreed_summary="Keskusteltiin lapsen arjesta kotona ja päiväkodissa. Sovittiin toimintasuunnitelmasta.",
        keep_working_notes=rng.random() < 0.2,
        closed_on=held,
    )


def _seed_other_apps() -> None:
    """Catalogues of the other apps, through their own services."""
    tenant = Tenant.objects.get(slug=TENANT_SLUG)
    training_seed_defaults(tenant)
    feedback_seed_defaults()
    _seed_directory(tenant)


def _seed_directory(tenant: Tenant) -> None:
    admin = User.objects.get(username="admin")
    admin.current_membership = admin.memberships.first()  # type: ignore[attr-defined]
    social = Unit.objects.get(tenant=tenant, name="Lapsiperheiden sosiaalityö")
    family = Unit.objects.get(tenant=tenant, name="Vaasan perhekeskus")
    directory_entry_save(
        actor=admin,
        tenant=tenant,
        kind="service",
        name=social.name,
        sector=social.sector,
        unit=social,
        area=social.area,
        email="sosiaalityo@demo.arki.fi",
        texts={
            "fi": {
                "title": "Lapsiperheiden sosiaalityö",
                "description": "Konsultaatio ilman lähetettä: huoli lapsen arjesta, tuen tarpeen arviointi.",
                "expertise": "sosiaalityö, lastensuojelu, tukitoimet",
            },
            "sv": {
                "title": "Socialt arbete för barnfamiljer",
                "description": "Konsultation utan remiss: oro för barnets vardag, bedömning av stödbehov.",
                "expertise": "socialt arbete, barnskydd, stödåtgärder",
            },
            "en": {
                "title": "Social work for families with children",
                "description": "Consultation without a referral: worries about a child's everyday life, assessing support needs.",
                "expertise": "social work, child welfare, support",
            },
            "da": {
                "title": "Socialrådgivning for børnefamilier",
                "description": "Sparring uden henvisning: bekymring for barnets hverdag, vurdering af støttebehov.",
                "expertise": "socialt arbejde, børnebeskyttelse, støtte",
            },
        },
    )
    directory_entry_save(
        actor=admin,
        tenant=tenant,
        kind="service",
        name=family.name,
        sector=family.sector,
        unit=family,
        area=family.area,
        email="perhekeskus@demo.arki.fi",
        texts={
            "fi": {
                "title": "Perhekeskuksen perheneuvonta",
                "description": "Kasvatus- ja perheneuvonta, vanhemmuuden tuki, lapsen tunne-elämä.",
                "expertise": "perheneuvonta, vanhemmuus, uni, tunteet",
            },
            "sv": {
                "title": "Familjecentralens familjerådgivning",
                "description": "Uppfostrings- och familjerådgivning, stöd i föräldraskapet.",
                "expertise": "familjerådgivning, föräldraskap, sömn, känslor",
            },
            "en": {
                "title": "Family centre counselling",
                "description": "Family counselling, support for parenting, the child's emotional life.",
                "expertise": "family counselling, parenting, sleep, emotions",
            },
            "da": {
                "title": "Familiecentrets familierådgivning",
                "description": "Familierådgivning, støtte til forældreskab, barnets følelsesliv.",
                "expertise": "familierådgivning, forældreskab, søvn, følelser",
            },
        },
    )
