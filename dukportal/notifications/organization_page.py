"""The notifications section of an organisation's page (registered in organizations.page_sections)."""

from datetime import date

from organizations import access, page_sections

from . import selectors


def organization_deadlines(user, organization, *, on: date) -> dict:
    """The organisation page's panel: the obligations of the year of `on` with where the organisation stood at
    the end of that day, by the shared rule, and the reminders received. The page's view has already checked
    the user may see `organization`."""
    return {
        # Only the organisation's own officers answer "Không phát sinh" for it.
        "can_answer_nil": bool(user and access.is_officer(user) and user.organization_id == organization.pk),
        "organization": organization,
        "obligations": selectors.organization_obligations(organization, on=on),
        "reminders": selectors.organization_reminders(organization),
        "today": on,
    }


def register() -> None:
    page_sections.register_section(
        page_sections.Section(
            key="notifications.deadlines",
            template_name="notifications/_organization_deadlines.html",
            context=organization_deadlines,
        )
    )
