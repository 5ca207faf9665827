"""Let's Talk about Children as the catalogue's first method, from the public record.

The rating is Kasvun tuki's published appraisal of the LT discussion ("moderate documented
evidence"), entered with its source; the study it rests on is the randomised trial in families
with parental mood disorder (Solantaus et al. 2010). Nothing here is invented: what the public
record does not say (a rating date) is the date the entry was checked against the source.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from arki.organisations.models import Tenant

from . import services
from .models import (
    Evaluation,
    EvaluationStatus,
    EvidenceLevel,
    Method,
    MethodSetting,
    MethodStatus,
    RatingRegistry,
    TargetGroup,
)

SLUG = "lets-talk-about-children"
SOURCE = "https://kasvuntuki.fi/menetelmat/lapsetpuheeksi/"
STUDY = {
    "citation": (
        "Solantaus T, Paavonen EJ, Toikka S, Punamäki R-L. Preventive interventions in families "
        "with parental depression: children's psychosocial symptoms and prosocial behaviour. "
        "European Child & Adolescent Psychiatry 2010;19(12):883–892."
    ),
    "doi": "10.1007/s00787-010-0135-3",
    "url": "https://doi.org/10.1007/s00787-010-0135-3",
}
TEXTS = {
    "fi": {
        "name": "Lapset puheeksi -keskustelu",
        "summary": "Vanhempien ja työntekijän 1–2 tapaamisen keskustelu lapsen arjesta: "
        "vahvuudet, haavoittuvuudet ja konkreettiset teot lapsen arjen tueksi.",
        "goal": "Vahvistaa vanhemmuutta, lapsen ja vanhemman myönteistä suhdetta ja lapsen "
        "turvallista arkea kotona, päiväkodissa, koulussa ja vapaa-ajalla.",
        "theory": "Resilienssi- ja suojaavien tekijöiden tutkimus; perhekeskeinen ehkäisevä työ.",
        "delivery": "1–2(–3) tapaamista; koulutettu työntekijä sosiaali-, terveys- tai "
        "kasvatuspalveluista. Tarvittaessa neuvonpito.",
    },
    "sv": {
        "name": "Föra barnen på tal – samtal",
        "summary": "Ett samtal på 1–2 träffar mellan föräldrarna och en medarbetare om barnets "
        "vardag: styrkor, sårbarheter och konkreta åtgärder som stöder barnet.",
        "goal": "Att stärka föräldraskapet, relationen mellan barn och förälder och barnets "
        "trygga vardag hemma, i småbarnspedagogiken, i skolan och på fritiden.",
    },
    "en": {
        "name": "Let's Talk about Children discussion",
        "summary": "A discussion of 1–2 meetings between the parents and a worker about the "
        "child's everyday life: strengths, vulnerabilities and concrete actions to support it.",
        "goal": "To strengthen parenting, the positive relationship between child and parent and "
        "the child's safe everyday life at home, in early education, at school and in free time.",
    },
    "da": {
        "name": "Lad os tale om børn – samtale",
        "summary": "En samtale på 1–2 møder mellem forældrene og en medarbejder om barnets "
        "hverdag: styrker, sårbarheder og konkrete handlinger, der støtter barnet.",
        "goal": "At styrke forældreskabet, den positive relation mellem barn og forælder og "
        "barnets trygge hverdag hjemme, i dagtilbud, i skolen og i fritiden.",
    },
}


@transaction.atomic
def lt_method_load(*, actor: Any, tenant: Tenant) -> Method:
    """Create and publish the LT method in ``tenant``'s catalogue; an existing one is kept."""
    existing = Method.objects.in_tenant(tenant.pk).filter(slug=SLUG).first()
    if existing is not None:
        return existing
    method = services.method_save(
        actor=actor,
        tenant=tenant,
        slug=SLUG,
        age_min=0,
        age_max=17,
        target_groups=[TargetGroup.PARENTS, TargetGroup.FAMILY, TargetGroup.CHILD],
        service_settings=[choice.value for choice in MethodSetting],
        sessions=2,
        duration="1–2 (–3) meetings",
        training_provider="MIELI Mental Health Finland",
        training_length="2 days + supervised practice",
        training_languages=["fi", "sv", "en"],
        trainer_network=True,
        tags=["lets-talk", "parenting", "everyday-life"],
    )
    services.method_texts_save(actor=actor, method=method, texts=TEXTS)
    services.inclusion_record(
        actor=actor,
        method=method,
        inclusion_goal=True,
        inclusion_under_18=True,
        inclusion_theory=True,
        inclusion_training=True,
        inclusion_ethics=True,
    )
    study = services.reference_add(actor=actor, method=method, **STUDY)
    services.rating_add(
        actor=actor,
        method=method,
        registry=RatingRegistry.objects.get(code="kasvuntuki"),
        value="moderate",
        rated_on=timezone.localdate(),
        source=SOURCE,
    )
    moderate = EvidenceLevel.objects.get(code="moderate")
    evaluation = Evaluation.objects.create(
        method=method,
        status=EvaluationStatus.APPROVED,
        level=moderate,
        reasoning="Kasvun tuki's published appraisal, entered from the public record: " + SOURCE,
        approved_at=timezone.now(),
    )
    evaluation.studies.set([study])
    method.evidence_level = moderate
    method.status = MethodStatus.REVIEW
    method.save()
    services.method_publish(actor=actor, method=method)
    method.refresh_from_db()
    return method
