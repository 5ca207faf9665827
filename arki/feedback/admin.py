from django.contrib import admin

from .models import Question, QuestionSet


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    """Question sets only: answers and links are deliberately not browsable one by one."""

    list_display = ["__str__", "version", "is_active", "created_at"]
    inlines = [QuestionInline]
