"""Data admin: read-mostly views for staff. Writes of submissions go through the portal's pages (services)."""

from django.contrib import admin

from dukportal.core.admin import ReadOnlyAdmin

from .models import (
    BrightSpot,
    DemocracyCycle,
    DemocracyPlan,
    SelfInspectionReport,
    SteeringCommittee,
    SteeringCommitteeMembership,
)


@admin.register(DemocracyCycle)
class DemocracyCycleAdmin(ReadOnlyAdmin):
    list_display = ("year", "bloc_plan_number", "plan_deadline", "self_inspection_deadline", "inspection_deadline")


@admin.register(DemocracyPlan)
class DemocracyPlanAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "organization", "number", "status", "submitted_at")
    list_filter = ("cycle", "status")


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "organization", "decision_number", "status", "submitted_at")
    list_filter = ("cycle", "status")


@admin.register(SteeringCommitteeMembership)
class SteeringCommitteeMembershipAdmin(ReadOnlyAdmin):
    list_display = ("organization", "full_name", "role", "joined_on", "left_on")
    list_filter = ("role",)


@admin.register(SelfInspectionReport)
class SelfInspectionReportAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "organization", "kind", "status", "submitted_at")
    list_filter = ("cycle", "kind", "status")


@admin.register(BrightSpot)
class BrightSpotAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "organization", "kind", "title", "status")
    list_filter = ("cycle", "kind", "status")
