"""Form helpers shared by every app's views."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors beside their field (when the form has it),
    the rest at the top. The form keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
