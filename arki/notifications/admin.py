from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "to", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    # Subjects and bodies can hold personal data: not shown here either.
    fields = (
        "kind",
        "to",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "redacted_at",
        "last_error",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
