from django import forms
from django.contrib import admin

from minsheng.api.models import ApiClient, ApiKey, Scope, StaffToken


class ApiClientForm(forms.ModelForm):
    # Checkboxes of the known scopes, so an admin cannot store a misspelt one in the JSON list.
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiClient
        fields = ["name", "unit", "scopes", "rate_limit", "is_active"]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "unit", "rate_limit", "is_active", "created_at"]
    raw_id_fields = ["unit"]
    inlines = [ApiKeyInline]


@admin.register(StaffToken)
class StaffTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["user"]
