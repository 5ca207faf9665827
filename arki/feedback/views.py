from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from arki.accounts.access import require_permission
from arki.core.middleware import public

from . import selectors, services
from .forms import AnswerForm, QuestionSetForm, SummaryFilterForm
from .models import LANGUAGES, Choice


def _language(request: HttpRequest, default: str) -> str:
    """?lang= (the page's own switcher), else a language the visitor chose, else the link's."""
    chosen = request.GET.get("lang") or request.POST.get("lang") or ""
    if chosen in LANGUAGES:
        return chosen
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return (getattr(request, "LANGUAGE_CODE", "") or default)[:2]
    return default


@public
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The family's feedback page: phone-sized, no login, no JS needed, in their language."""
    try:
        link = services.link_for_token(token)
    except services.FeedbackError as error:
        language = _language(request, getattr(request, "LANGUAGE_CODE", "fi"))
        status = 410 if isinstance(error, services.LinkSpent) else 404
        with translation.override(language):
            closed = {"message": str(error.message), "language": language}
            return render(request, "feedback/closed.html", closed, status=status)
    language = _language(request, link.language)
    with translation.override(language):
        questions = list(link.question_set.questions.all())
        data = request.POST if request.method == "POST" else None
        form = AnswerForm(data, questions=questions, language=language)
        if request.method == "POST" and form.is_valid():
            try:
                services.feedback_submit(token=token, answers=form.cleaned_data)
            except services.LinkSpent as error:
                closed = {"message": str(error.message), "language": language}
                return render(request, "feedback/closed.html", closed, status=410)
            except services.FeedbackError as error:
                form.add_error(None, str(error.message))
            else:
                return render(request, "feedback/thanks.html", {"language": language})
        context = {
            "form": form,
            "link": link,
            "language": language,
            "feedback_languages": [
                (code, get_language_info(code)["name_local"].capitalize()) for code in LANGUAGES
            ],
        }
        return render(request, "feedback/answer.html", context)


def results(request: HttpRequest) -> HttpResponse:
    """Counts per item for coordinators: no answer-level data, small cells suppressed."""
    membership = require_permission(request, "feedback.results:view")
    form = SummaryFilterForm(request.GET or None, tenant=membership.tenant_id)
    filters = selectors.FeedbackFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.FeedbackFilters(
            period_from=data["period_from"],
            period_to=data["period_to"],
            area_id=data["area"].pk if data["area"] else None,
            unit_id=data["unit"].pk if data["unit"] else None,
            sector=data["sector"],
            context_kind=data["context_kind"],
        )
    summary = selectors.feedback_summary(tenant=membership.tenant, filters=filters)
    context = {"form": form, "summary": summary, "choices": Choice.choices}
    return render(request, "feedback/results.html", context)


def questions(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "feedback.questions:manage")
    current = selectors.current_question_set(membership.tenant) or services.feedback_seed_defaults()
    form = QuestionSetForm(request.POST or None, questions=selectors.questions_of(current))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.question_set_new_version(
                actor=request.user, tenant=membership.tenant, questions=form.question_data()
            )
        except services.FeedbackError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Version %(version)s of the questions is now in use.") % {"version": new.version},
            )
            return redirect("feedback:questions")
    return render(request, "feedback/questions.html", {"form": form, "current": current})
