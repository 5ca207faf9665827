from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ExternalIdentity, Membership, Qualification, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    extra = 0


class QualificationInline(admin.TabularInline[Qualification, User]):
    model = Qualification
    extra = 0


class ExternalIdentityInline(admin.TabularInline[ExternalIdentity, User]):
    """Linking an existing account to its identity at the tenant's provider (issuer and
    subject, as the provider's token names them): single sign-on never joins accounts by
    email address."""

    model = ExternalIdentity
    extra = 0
    readonly_fields = ["last_login_at"]


@admin.register(User)
class ArkiUserAdmin(UserAdmin[User]):
    inlines = [MembershipInline, QualificationInline, ExternalIdentityInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
