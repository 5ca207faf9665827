"""The demo county's school nurse: the pupils of a primary school, a real caseload.

A school health nurse works with every pupil of the school (500–700): the ``schoolnurse``
account has that many at Onkilahden koulu (twice the demo's ``children``), a quarter of them
with an LT discussion in one state or another, so her child list pages, searches by name and
filters by discussion state with counts.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from arki.accounts.models import Membership, Qualification, Role, User
from arki.discussions import services as discussions
from arki.discussions.models import LogbookTemplate
from arki.organisations.models import Tenant, Unit
from arki.people import services as people

USERNAME = "schoolnurse"
SCHOOL = "Onkilahden koulu (1–6)"


def seed(tenant: Tenant, *, pupils: int, password: str, seed: int = 2026) -> None:
    """Add the school nurse and her pupils once (nothing when she is there already)."""
    if User.objects.filter(username=USERNAME).exists():
        return
    rng = random.Random(seed)
    fake = Faker("fi_FI")
    fake.seed_instance(seed)
    school = Unit.objects.get(tenant=tenant, name=SCHOOL)
    template = LogbookTemplate.objects.filter(tenant__isnull=True, language="fi").first()
    today = timezone.localdate()
    with transaction.atomic():
        nurse = User.objects.create(
            username=USERNAME,
            first_name="Tiina",
            last_name="Koskela",
            email=f"{USERNAME}@demo.arki.fi",
            password=make_password(password),
        )
        Membership.objects.create(user=nurse, tenant=tenant, unit=school, role=Role.WORKER)
        Qualification.objects.create(user=nurse, kind="discussion", completed_on=date(2023, 8, 1))
        nurse.current_membership = nurse.memberships.first()
        for n in range(pupils):
            pupil = people.child_create(
                actor=nurse,
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                birth_date=today - timedelta(days=rng.randint(7 * 365, 13 * 365)),
                unit=school,
            )
            if n % 4 or template is None:
                continue
            chosen = (
                discussions.suggest_template(
                    tenant_id=tenant.pk, unit=school, child=pupil, language="fi"
                )
                or template
            )
            offered = today - timedelta(days=rng.randint(5, 300))
            d = discussions.discussion_offer(
                actor=nurse, child=pupil, unit=school, template=chosen, offered_on=offered
            )
            state = (n // 4) % 3
            if state == 1:
                discussions.discussion_decline(
                    actor=nurse, discussion=d, responded_on=offered + timedelta(days=2)
                )
            elif state == 2:
                discussions.discussion_accept(
                    actor=nurse, discussion=d, responded_on=offered + timedelta(days=2)
                )
